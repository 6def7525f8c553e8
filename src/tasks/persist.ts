/**
 * @module
 * One task in its Durable Object's SQLite database. The task's JSON holds its heads (prototype sums and counts,
 * fitted parameters), cut into chunks (a SQLite value holds at most 2 MB, and prototype sums of 1,000 labels × 1,280
 * dimensions alone weigh ~7 MB); its examples are rows (`example-rows.ts`), never part of it, so a teach writes its
 * own rows and the heads, not every example. A task stored when its JSON still carried examples (`stored`) has them
 * moved into rows on its first load. Every write runs in one transaction: a task is never seen half written.
 */
import { ApiError } from '../problem.ts';
import { rowsTable, upgradeRows, writeRows, type ExampleRow, type RowChange } from './example-rows.ts';
import { TaskSchema, type Task } from './schema.ts';

/**
 * The most characters the task's JSON (its heads; examples are rows and do not count) may
 * weigh: the object reads it whole into memory (128 MB an isolate) and sends the edge its vectors on a new
 * version. Prototype sums weigh labels × dimension × 5⅓ characters per modality taught (5,000 labels of the
 * 256-dimensional hashed text model: 6.8 M; of the 1,280-dimensional image model: 34 M).
 */
export const maxTaskChars = 16 * 1024 * 1024;

/** UTF-16 units per chunk: at most 3 UTF-8 bytes each, so a chunk stays under SQLite's 2 MB value limit. */
const chunkLength = 512 * 1024;

const schema = [
  'CREATE TABLE IF NOT EXISTS task_chunks (i INTEGER PRIMARY KEY, part TEXT NOT NULL)',
  rowsTable,
  'CREATE TABLE IF NOT EXISTS task_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)',
  // The index report that failed and waits for the alarm to be sent again (at most one row: the object's name).
  'CREATE TABLE IF NOT EXISTS index_pending (id TEXT PRIMARY KEY)',
];

/**
 * Whether this object has ever been written. Reading an unknown id must not create tables: every 404 would leave
 * a stored object behind.
 */
export function hasTables(sql: SqlStorage): boolean {
  return (
    sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'task_meta'").toArray().length > 0
  );
}

export function createTables(sql: SqlStorage): void {
  for (const statement of schema) sql.exec(statement);
  upgradeRows(sql);
}

/** Rows of the examples an old task kept inside its JSON. */
function legacyRows(task: Task): ExampleRow[] {
  return Object.entries(task.modalities).flatMap(([modality, head]) =>
    head.stored.map(({ id, label, embedding }) => ({ modality, id, label, embedding })),
  );
}

/** The task without examples in it: what is kept as JSON, and what the object holds in memory. */
function withoutStored(task: Task): Task {
  const modalities = Object.fromEntries(
    Object.entries(task.modalities).map(([name, head]) => [name, { ...head, stored: [] }]),
  );
  return { ...task, modalities };
}

/**
 * The stored task (its heads; `stored` empty: examples are rows), or undefined when there is none. A task whose JSON
 * still carries its examples has them moved into rows first, in one transaction.
 */
export function loadTask(storage: DurableObjectStorage): Task | undefined {
  const { sql } = storage;
  if (!hasTables(sql)) return undefined;
  const parts = sql.exec<{ part: string }>('SELECT part FROM task_chunks ORDER BY i').toArray();
  if (parts.length === 0) return undefined;
  const parsed = TaskSchema.safeParse(JSON.parse(parts.map((row) => row.part).join('')));
  if (!parsed.success) throw new Error('the stored task does not match the task schema');
  const legacy = legacyRows(parsed.data);
  const task = withoutStored(parsed.data);
  if (legacy.length > 0) {
    storage.transactionSync(() => {
      createTables(sql);
      writeRows(sql, { insert: legacy });
      saveChunks(sql, task);
    });
  }
  return task;
}

function tooLarge(task: Task, chars: number): ApiError {
  const detail = `the task ${JSON.stringify(task.id)} would weigh ${chars} characters, over the limit of ${maxTaskChars}: fewer labels or modalities, or a model of fewer dimensions, fit`;
  return new ApiError(413, 'task-too-large', detail, { extensions: { limit: maxTaskChars, size: chars } });
}

/** Writes the task's JSON in chunks; a 413 problem (thrown before any write) over {@link maxTaskChars}. */
function saveChunks(sql: SqlStorage, task: Task): void {
  const json = JSON.stringify(withoutStored(task));
  if (json.length > maxTaskChars) throw tooLarge(task, json.length);
  const count = Math.max(1, Math.ceil(json.length / chunkLength));
  for (let i = 0; i < count; i++) {
    const part = json.slice(i * chunkLength, (i + 1) * chunkLength);
    sql.exec('INSERT OR REPLACE INTO task_chunks (i, part) VALUES (?, ?)', i, part);
  }
  sql.exec('DELETE FROM task_chunks WHERE i >= ?', count);
}

/** Moves the object's write sequence on: it orders the object's reports to the task index. */
function nextSequence(sql: SqlStorage): number {
  return sql
    .exec<{ value: number }>(
      `INSERT INTO task_meta (key, value) VALUES ('seq', 1)
       ON CONFLICT(key) DO UPDATE SET value = value + 1 RETURNING value`,
    )
    .one().value;
}

/** The sequence number of the object's latest write (0 before the first). */
export function currentSequence(sql: SqlStorage): number {
  if (!hasTables(sql)) return 0;
  return (
    sql.exec<{ value: number }>("SELECT value FROM task_meta WHERE key = 'seq'").toArray()[0]?.value ?? 0
  );
}

/**
 * Stores `next` (its heads) and the change to its example rows in one transaction; returns the write's sequence
 * number.
 */
export function saveTask(storage: DurableObjectStorage, next: Task, rows: RowChange = {}): number {
  return storage.transactionSync(() => {
    createTables(storage.sql);
    saveChunks(storage.sql, next);
    writeRows(storage.sql, rows);
    return nextSequence(storage.sql);
  });
}

/**
 * The version of the last task deleted from this object (0 when none was): a task created again under the id
 * starts after it, so that versions never repeat for an id — an isolate's heads cached at version n (keyed by the
 * object's name and version) or an `If-Match: "n"` of the deleted task never match the new one.
 */
export function lastDeletedVersion(sql: SqlStorage): number {
  if (!hasTables(sql)) return 0;
  const row = sql.exec<{ value: number }>("SELECT value FROM task_meta WHERE key = 'deleted'").toArray()[0];
  return row?.value ?? 0;
}

/**
 * Removes the task at `version`, keeping that version as a tombstone (see {@link lastDeletedVersion}); the write
 * sequence stays too, so that later writes still order after this one.
 */
export function deleteTask(storage: DurableObjectStorage, version: number): number {
  return storage.transactionSync(() => {
    storage.sql.exec('DELETE FROM task_chunks');
    storage.sql.exec('DELETE FROM task_examples');
    storage.sql.exec("INSERT OR REPLACE INTO task_meta (key, value) VALUES ('deleted', ?)", version);
    return nextSequence(storage.sql);
  });
}
