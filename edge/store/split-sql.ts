/** Characters of a keyword or bare identifier (numbers are read as words too, harmlessly). */
const WORD_CHAR = /[A-Za-z0-9_$]/;

/**
 * Splits a SQL script (a migration file) into single statements, because better-sqlite3's
 * `prepare` and D1's `prepare` each take exactly one.
 *
 * Supported: statements end at a `;` outside string literals (`'it''s'`), quoted identifiers
 * (`"a;b"`, `` `a;b` ``, `[a;b]`), comments (`-- ;` and `/* ; *\/`) and the body of
 * `CREATE [TEMP] TRIGGER ... BEGIN ... END` (whose inner `;` belong to it; `CASE ... END` inside
 * the body is understood). Leading comments and whitespace are dropped, chunks holding only comments
 * are skipped, and the terminating `;` is not included. Not supported: the sqlite3 shell's dot
 * commands, and `BEGIN`/`END` blocks of anything but a trigger (SQLite has none).
 */
export function splitSqlStatements(script: string): string[] {
  const out: string[] = [];
  let start = -1; // index of the current statement's first token, -1 before it
  let words: string[] = []; // the statement's first words, upper-cased, to recognise CREATE TRIGGER
  let inTriggerBody = false;
  let caseDepth = 0;
  let i = 0;
  const n = script.length;

  const onWord = (word: string): void => {
    if (words.length < 3) words.push(word);
    const isTrigger =
      words[0] === 'CREATE' &&
      (words[1] === 'TRIGGER' || (/^TEMP(ORARY)?$/.test(words[1] ?? '') && words[2] === 'TRIGGER'));
    if (!isTrigger) return;
    if (!inTriggerBody) {
      if (word === 'BEGIN') inTriggerBody = true;
    } else if (word === 'CASE') {
      caseDepth++;
    } else if (word === 'END') {
      if (caseDepth > 0) caseDepth--;
      else inTriggerBody = false;
    }
  };

  while (i < n) {
    const c = script[i];
    if (c === '-' && script[i + 1] === '-') {
      const eol = script.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === '/' && script[i + 1] === '*') {
      const close = script.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === ';' && !inTriggerBody) {
      if (start >= 0) out.push(script.slice(start, i).trim());
      start = -1;
      words = [];
      caseDepth = 0;
      i++;
    } else {
      if (start < 0) start = i;
      if (c === "'" || c === '"' || c === '`' || c === '[') {
        i = endOfQuoted(script, i, c === '[' ? ']' : c);
      } else if (WORD_CHAR.test(c)) {
        let end = i + 1;
        while (end < n && WORD_CHAR.test(script[end])) end++;
        onWord(script.slice(i, end).toUpperCase());
        i = end;
      } else {
        i++;
      }
    }
  }
  if (start >= 0) out.push(script.slice(start).trim());
  return out;
}

/** Index just past the closing quote of a literal that opens at `open`; a doubled quote is an escaped one. */
function endOfQuoted(script: string, open: number, quote: string): number {
  let i = open + 1;
  for (;;) {
    const close = script.indexOf(quote, i);
    if (close < 0) return script.length;
    if (quote !== ']' && script[close + 1] === quote) {
      i = close + 2;
      continue;
    }
    return close + 1;
  }
}
