/**
 * @module
 * One task in its Durable Object's SQLite database. The task without its stored example embeddings is JSON cut
 * into chunks (a SQLite value holds at most 2 MB, and prototype sums of 1,000 labels × 1,280 dimensions alone weigh
 * ~7 MB); each stored example embedding is one row, so adding examples inserts rows instead of rewriting them all.
 * Every write runs in one transaction: a task is never seen half written.
 */
import { ApiError } from '../problem.ts';
import { TaskSchema, type StoredExample, type Task } from './schema.ts';

/**
 * The most characters the task's JSON (its heads; stored examples are rows, bounded apart: `examples.ts`) may
 * weigh: the object reads it whole into memory (128 MB an isolate) and sends the edge its vectors on a new
 * version. Prototype sums weigh labels × dimension × 5⅓ characters per modality taught (5,000 labels of the
 * 256-dimensional hashed text model: 6.8 M; of the 1,280-dimensional image model: 34 M).
 */
export const maxTaskChars = 16 * 1024 * 1024;

/** UTF-16 units per chunk: at most 3 UTF-8 bytes each, so a chunk stays under SQLite's 2 MB value limit. */
const chunkLength = 512 * 1024;

const schema = [
  'CREATE TABLE IF NOT EXISTS task_chunks (i INTEGER PRIMARY KEY, part TEXT NOT NULL)',
  `CREATE TABLE IF NOT EXISTS task_examples (modality TEXT NOT NULL, id INTEGER NOT NULL, label TEXT NOT NULL,
     embedding TEXT NOT NULL, PRIMARY KEY (modality, id))`,
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
}

/** The stored task with its example embeddings, or undefined when there is none. */
export function loadTask(sql: SqlStorage): Task | undefined {
  if (!hasTables(sql)) return undefined;
  const parts = sql.exec<{ part: string }>('SELECT part FROM task_chunks ORDER BY i').toArray();
  if (parts.length === 0) return undefined;
  const heads = JSON.parse(parts.map((row) => row.part).join('')) as Task;
  const rows = sql
    .exec<{ modality: string } & StoredExample>(
      'SELECT modality, id, label, embedding FROM task_examples ORDER BY id',
    )
    .toArray();
  const modalities = Object.fromEntries(
    Object.entries(heads.modalities).map(([name, head]) => [
      name,
      {
        ...head,
        stored: rows
          .filter((row) => row.modality === name)
          .map(({ id, label, embedding }) => ({ id, label, embedding })),
      },
    ]),
  );
  const parsed = TaskSchema.safeParse({ ...heads, modalities });
  if (!parsed.success) throw new Error(`the stored task ${heads.id} does not match the task schema`);
  return parsed.data;
}

function mapStored(task: Task, map: (stored: Task['modalities'][string]['stored']) => typeof stored): Task {
  const modalities = Object.fromEntries(
    Object.entries(task.modalities).map(([name, head]) => [name, { ...head, stored: map(head.stored) }]),
  );
  return { ...task, modalities };
}

/** The task without its stored examples: what is kept as JSON (they are rows). */
function withoutStored(task: Task): Task {
  return mapStored(task, () => []);
}

/**
 * What readers get: the stored examples' ids and labels without their embeddings (`embedding: ""`), which may
 * weigh megabytes and are only used by changes, inside the task's object.
 */
export function withoutEmbeddings(task: Task): Task {
  return mapStored(task, (stored) => stored.map(({ id, label }) => ({ id, label, embedding: '' })));
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

/** Writes the example rows that differ between the previous task and the next (by modality and id). */
function saveExamples(sql: SqlStorage, previous: Task | undefined, next: Task): void {
  const names = new Set([...Object.keys(previous?.modalities ?? {}), ...Object.keys(next.modalities)]);
  for (const name of names) {
    const before = previous?.modalities[name]?.stored ?? [];
    const after = next.modalities[name]?.stored ?? [];
    const kept = new Set(after.map((e) => e.id));
    const had = new Set(before.map((e) => e.id));
    for (const gone of before.filter((e) => !kept.has(e.id))) {
      sql.exec('DELETE FROM task_examples WHERE modality = ? AND id = ?', name, gone.id);
    }
    for (const added of after.filter((e) => !had.has(e.id))) {
      sql.exec(
        'INSERT OR REPLACE INTO task_examples (modality, id, label, embedding) VALUES (?, ?, ?, ?)',
        name,
        added.id,
        added.label,
        added.embedding,
      );
    }
  }
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
 * Stores `next` in place of `previous` (what {@link loadTask} returned) in one transaction; returns the write's
 * sequence number.
 */
export function saveTask(storage: DurableObjectStorage, previous: Task | undefined, next: Task): number {
  return storage.transactionSync(() => {
    createTables(storage.sql);
    saveChunks(storage.sql, next);
    saveExamples(storage.sql, previous, next);
    return nextSequence(storage.sql);
  });
}

/** Removes the task (the write sequence stays, so that later writes still order after this one). */
export function deleteTask(storage: DurableObjectStorage): number {
  return storage.transactionSync(() => {
    storage.sql.exec('DELETE FROM task_chunks');
    storage.sql.exec('DELETE FROM task_examples');
    return nextSequence(storage.sql);
  });
}
