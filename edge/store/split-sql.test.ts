import { describe, expect, it } from 'vitest';
import { splitSqlStatements } from './split-sql';

describe('splitSqlStatements', () => {
  it('splits on semicolons, trims, and drops the terminator and comment-only chunks', () => {
    const script = `-- header comment
CREATE TABLE a (x INTEGER);
/* block ; comment */
CREATE INDEX a_x ON a (x);   -- trailing ; comment
-- only a comment ;
INSERT INTO a VALUES (1)`;
    expect(splitSqlStatements(script)).toEqual([
      'CREATE TABLE a (x INTEGER)',
      'CREATE INDEX a_x ON a (x)',
      'INSERT INTO a VALUES (1)',
    ]);
  });

  it('keeps semicolons inside string literals and quoted identifiers', () => {
    const script = `INSERT INTO t VALUES ('a;b', 'it''s; fine');
CREATE TABLE "we;ird" ([x;y] TEXT, \`z;w\` TEXT);
SELECT ';' -- done`;
    expect(splitSqlStatements(script)).toEqual([
      "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
      'CREATE TABLE "we;ird" ([x;y] TEXT, `z;w` TEXT)',
      "SELECT ';' -- done",
    ]);
  });

  it('keeps a trigger body, CASE ... END included, in one statement', () => {
    const trigger = `CREATE TEMP TRIGGER IF NOT EXISTS audit AFTER UPDATE ON t
BEGIN
  INSERT INTO log VALUES (CASE WHEN new.x > 0 THEN 'up;' ELSE 'down' END);
  UPDATE t SET y = CASE new.x WHEN 1 THEN 1 ELSE (CASE WHEN 1 THEN 2 END) END WHERE rowid = new.rowid;
END`;
    const script = `CREATE TABLE t (x, y);\n${trigger};\nCREATE TRIGGER t2 BEFORE DELETE ON t BEGIN SELECT 1; END;\nSELECT 2;`;
    expect(splitSqlStatements(script)).toEqual([
      'CREATE TABLE t (x, y)',
      trigger,
      'CREATE TRIGGER t2 BEFORE DELETE ON t BEGIN SELECT 1; END',
      'SELECT 2',
    ]);
  });

  it('does not mistake other statements naming triggers or using BEGIN-like words for a trigger', () => {
    expect(splitSqlStatements('CREATE TABLE trigger_log (begin_at TEXT); DROP TRIGGER x; SELECT 1')).toEqual([
      'CREATE TABLE trigger_log (begin_at TEXT)',
      'DROP TRIGGER x',
      'SELECT 1',
    ]);
  });

  it('returns nothing for an empty or comment-only script', () => {
    expect(splitSqlStatements('')).toEqual([]);
    expect(splitSqlStatements('  -- nothing\n/* here */ ;\n;')).toEqual([]);
  });
});
