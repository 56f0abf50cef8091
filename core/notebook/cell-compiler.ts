/**
 * Turns a notebook cell into a function the kernel can run: top-level await works, top-level names
 * (const/let/var/function/class) outlive the cell, and the last expression is the cell's value.
 * Edits keep every statement on its line, so an error's line in the function is its line in the cell.
 */
import { parse, type Node, type Program } from 'acorn';

export interface CompiledCell {
  /** The body of an async function; V8 puts it 2 lines below the function's first line. */
  body: string;
  declared: string[];
}

export class CellSyntaxError extends Error {
  override readonly name = 'SyntaxError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Lines V8's AsyncFunction constructor adds before the body. */
export const FUNCTION_PREAMBLE_LINES = 2;

interface Edit {
  start: number;
  end: number;
  text: string;
}

export function compileCell(code: string): CompiledCell {
  let program: Program;
  try {
    program = parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowAwaitOutsideFunction: true,
      locations: true,
    });
  } catch (e) {
    const err = e as SyntaxError & { loc?: { line: number; column: number } };
    throw new CellSyntaxError(err.message.replace(/ \(\d+:\d+\)$/, ''), err.loc?.line ?? 1, (err.loc?.column ?? 0) + 1);
  }
  const edits: Edit[] = [];
  const declared: string[] = [];
  program.body.forEach((stmt, i) => {
    const last = i === program.body.length - 1;
    if (stmt.type === 'VariableDeclaration') {
      edits.push({ start: stmt.start, end: stmt.start + stmt.kind.length, text: 'var' });
      for (const d of stmt.declarations) collectNames(d.id, declared);
    } else if (stmt.type === 'FunctionDeclaration' && stmt.id) {
      declared.push(stmt.id.name);
    } else if (stmt.type === 'ClassDeclaration' && stmt.id) {
      edits.push({ start: stmt.start, end: stmt.start, text: `var ${stmt.id.name} = ` });
      declared.push(stmt.id.name);
    } else if (last && stmt.type === 'ExpressionStatement') {
      edits.push({ start: stmt.expression.start, end: stmt.expression.start, text: 'return (' });
      edits.push({ start: stmt.expression.end, end: stmt.expression.end, text: ')' });
    }
  });
  let body = code;
  for (const e of edits.sort((a, b) => b.start - a.start)) body = body.slice(0, e.start) + e.text + body.slice(e.end);
  const names = [...new Set(declared)];
  // Copy declared names out even when the cell throws half-way, but never clobber a global with a
  // name the cell did not reach (still undefined).
  const publish = names.length
    ? `\n} finally { for (const [k, v] of Object.entries({ ${names.join(', ')} })) if (v !== undefined || !(k in globalThis)) globalThis[k] = v; }`
    : '\n} finally {}';
  return { body: `try { ${body}${publish}`, declared: names };
}

function collectNames(pattern: Node, out: string[]): void {
  const p = pattern as Node & {
    name?: string;
    properties?: Node[];
    elements?: (Node | null)[];
    value?: Node;
    argument?: Node;
    left?: Node;
  };
  switch (p.type) {
    case 'Identifier':
      out.push(p.name!);
      break;
    case 'ObjectPattern':
      for (const prop of p.properties!)
        collectNames(prop.type === 'RestElement' ? prop : (prop as Node & { value: Node }).value, out);
      break;
    case 'ArrayPattern':
      for (const el of p.elements!) if (el) collectNames(el, out);
      break;
    case 'RestElement':
      collectNames(p.argument!, out);
      break;
    case 'AssignmentPattern':
      collectNames(p.left!, out);
      break;
  }
}

/** The 1-based line and column in the cell of the first frame of cell code in a V8 stack, if any. */
export function cellPosition(stack: string | undefined): { line: number; column: number } | null {
  const m = stack?.match(/<anonymous>:(\d+):(\d+)/);
  if (!m) return null;
  return { line: Number(m[1]) - FUNCTION_PREAMBLE_LINES, column: Number(m[2]) };
}

/**
 * What a cell defines and what it reads from other cells: its top-level names, and the free names it
 * references (an over-approximation — any identifier read anywhere — which errs on the side of
 * marking a dependent cell stale). Returns null when the cell does not parse.
 */
export function analyzeCell(code: string): { declared: string[]; references: string[] } | null {
  let program: Program;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true });
  } catch {
    return null;
  }
  const declared: string[] = [];
  for (const stmt of program.body) {
    if (stmt.type === 'VariableDeclaration') for (const d of stmt.declarations) collectNames(d.id, declared);
    else if ((stmt.type === 'FunctionDeclaration' || stmt.type === 'ClassDeclaration') && stmt.id)
      declared.push(stmt.id.name);
  }
  const read = new Set<string>();
  walk(program, read);
  const own = new Set(declared);
  return { declared: [...own], references: [...read].filter((n) => !own.has(n)) };
}

function walk(node: unknown, out: Set<string>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) walk(n, out);
    return;
  }
  const n = node as Record<string, unknown> & { type?: string; computed?: boolean };
  switch (n.type) {
    case 'Identifier':
      out.add(n.name as string);
      return;
    case 'MemberExpression':
      walk(n.object, out);
      if (n.computed) walk(n.property, out);
      return;
    case 'Property':
    case 'MethodDefinition':
    case 'PropertyDefinition':
      if (n.computed) walk(n.key, out);
      walk(n.value, out);
      return;
    case 'LabeledStatement':
      walk(n.body, out);
      return;
    case 'BreakStatement':
    case 'ContinueStatement':
      return;
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'type' && v && typeof v === 'object') walk(v, out);
}
