/**
 * @module
 * The SQLite tables of a batch's Durable Object (`batch-object.ts`): the batch's record, its chunks (each with its
 * queue message and whether it was sent) and one row per request (its result, its tokens and how many of them the
 * embedding cache answered, written once; `spilled`: the bytes of a result kept in R2, `text` then its key).
 */

const tables = [
  'CREATE TABLE IF NOT EXISTS batch (k INTEGER PRIMARY KEY CHECK (k = 0), record TEXT NOT NULL)',
  `CREATE TABLE IF NOT EXISTS chunks (chunk INTEGER PRIMARY KEY, lines INTEGER NOT NULL, seen INTEGER NOT NULL,
     message TEXT, sent INTEGER NOT NULL DEFAULT 1)`,
  `CREATE TABLE IF NOT EXISTS lines (line INTEGER PRIMARY KEY, chunk INTEGER NOT NULL, custom_id TEXT NOT NULL,
     outcome TEXT, text TEXT, tokens INTEGER NOT NULL DEFAULT 0, cached_tokens INTEGER NOT NULL DEFAULT 0,
     spilled INTEGER)`,
];

/** Columns added since the first version, for objects created before (SQLite cannot add them conditionally). */
const addedColumns = [
  ['lines', 'tokens', 'INTEGER NOT NULL DEFAULT 0'],
  ['chunks', 'message', 'TEXT'],
  // Their chunks were queued before the object was asked to store them.
  ['chunks', 'sent', 'INTEGER NOT NULL DEFAULT 1'],
  ['lines', 'cached_tokens', 'INTEGER NOT NULL DEFAULT 0'],
  ['lines', 'spilled', 'INTEGER'],
] as const;

/** Creates the tables, or adds to those of an older object the columns they lack. */
export function createTables(sql: SqlStorage): void {
  for (const statement of tables) sql.exec(statement);
  for (const [table, column, type] of addedColumns) {
    const columns = sql.exec<{ name: string }>(`PRAGMA table_info(${table})`).toArray();
    if (!columns.some(({ name }) => name === column))
      sql.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  }
}
