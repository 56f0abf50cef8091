/** Storage for the edge: the SQL, row-sink and blob ports, their Node adapters (SQLite, disk), migrations and the data folder. */
export type { SqlDatabase, SqlStatement, SqlValue } from './sql';
export { SqlError, isConstraintViolation, isUniqueViolation } from './sql-error';
export { openSqlite, type SqliteDatabase } from './sqlite';
export { sqlRowSink, type RowSink } from './row-sink';
export { migrate, type Migration } from './migrate';
export { splitSqlStatements } from './split-sql';
export { readMigrations } from './node-migrations';
export { assertBlobKey, type BlobStore } from './blob';
export { diskBlobStore } from './disk-blob';
export { memoryBlobStore } from './memory-blob';
export { DB_FILE, openDataDir, writeSecretFile, type DataDir } from './data-dir';
export { writeFileAtomic, syncDir, type AtomicWriteOptions } from './atomic-write';
