/**
 * @module
 * A task's stored examples: one SQLite row per example and modality (`task_examples`) in the task's Durable Object,
 * never in its JSON. A teach inserts only its own rows and a removal deletes only the selected ones, so a write costs
 * what the request holds, not what the task holds; a refit and the example list read them in pages of
 * {@link rowPage}, so no read holds a cursor over 100,000 rows of base64.
 */
import type { StoredExample } from './schema.ts';

/** One modality's embedding of one example (base64 float32), as stored. */
export interface ExampleRow extends StoredExample {
  readonly modality: string;
  /** Epoch milliseconds it was taught; null for rows stored before that was recorded. */
  readonly created?: number | null;
}

/** What a change does to the rows: all go (a replace), and/or these go, and these come. */
export interface RowChange {
  readonly clear?: boolean;
  readonly remove?: readonly { readonly modality: string; readonly id: number }[];
  readonly insert?: readonly ExampleRow[];
}

/** Which stored examples to take out: by id, or every one of a label. */
export type ExampleSelector = { readonly ids: readonly number[] } | { readonly label: string };

/** Rows read per query. */
export const rowPage = 1000;

export const rowsTable = `CREATE TABLE IF NOT EXISTS task_examples (modality TEXT NOT NULL, id INTEGER NOT NULL,
  label TEXT NOT NULL, embedding TEXT NOT NULL, created INTEGER, PRIMARY KEY (modality, id))`;

/** Adds `created` to a table made before it existed (its rows keep null). */
export function upgradeRows(sql: SqlStorage): void {
  const columns = sql.exec<{ name: string }>('PRAGMA table_info(task_examples)').toArray();
  if (!columns.some((column) => column.name === 'created')) {
    sql.exec('ALTER TABLE task_examples ADD COLUMN created INTEGER');
  }
}

/** Applies `change` (inside the caller's transaction). */
export function writeRows(sql: SqlStorage, change: RowChange): void {
  if (change.clear === true) sql.exec('DELETE FROM task_examples');
  for (const { modality, id } of change.remove ?? []) {
    sql.exec('DELETE FROM task_examples WHERE modality = ? AND id = ?', modality, id);
  }
  for (const row of change.insert ?? []) {
    sql.exec(
      'INSERT OR REPLACE INTO task_examples (modality, id, label, embedding, created) VALUES (?, ?, ?, ?, ?)',
      row.modality,
      row.id,
      row.label,
      row.embedding,
      row.created ?? null,
    );
  }
}

/** The rows the selector picks, in every modality. */
export function selectedRows(sql: SqlStorage, selector: ExampleSelector): ExampleRow[] {
  const columns = 'SELECT modality, id, label, embedding FROM task_examples';
  if ('label' in selector) {
    return sql
      .exec<ExampleRow & Record<string, string>>(`${columns} WHERE label = ?`, selector.label)
      .toArray();
  }
  return selector.ids.flatMap((id) =>
    sql.exec<ExampleRow & Record<string, string>>(`${columns} WHERE id = ?`, id).toArray(),
  );
}

/** One modality's rows in id order, a page at a time. */
export function* modalityRows(sql: SqlStorage, modality: string): Generator<ExampleRow[]> {
  let after = 0;
  for (;;) {
    const page = sql
      .exec<ExampleRow & Record<string, string>>(
        'SELECT modality, id, label, embedding FROM task_examples WHERE modality = ? AND id > ? ORDER BY id LIMIT ?',
        modality,
        after,
        rowPage,
      )
      .toArray();
    if (page.length > 0) yield page;
    if (page.length < rowPage) return;
    after = page[page.length - 1]?.id ?? after;
  }
}

/** An example as the list shows it: no embedding. */
export interface ExampleEntry {
  readonly id: number;
  readonly label: string;
  readonly modalities: string[];
  readonly created: string | null;
}

/** Up to `limit` examples after the id `after`, in id order, and whether more follow. */
export function listRows(
  sql: SqlStorage,
  limit: number,
  after: number,
): { data: ExampleEntry[]; more: boolean } {
  const rows = sql
    .exec<{ id: number; label: string; modalities: string; created: number | null }>(
      `SELECT id, min(label) AS label, group_concat(modality) AS modalities, min(created) AS created
       FROM task_examples WHERE id > ? GROUP BY id ORDER BY id LIMIT ?`,
      after,
      limit + 1,
    )
    .toArray();
  const data = rows.slice(0, limit).map((row) => ({
    id: row.id,
    label: row.label,
    modalities: row.modalities.split(',').sort(),
    created: row.created === null ? null : new Date(row.created).toISOString(),
  }));
  return { data, more: rows.length > limit };
}

/** Every row of up to `limit` examples after the id `after`, in id order (an export's page: embeddings kept). */
export function exampleRows(sql: SqlStorage, limit: number, after: number): ExampleRow[] {
  return sql
    .exec<ExampleRow & Record<string, string>>(
      `SELECT modality, id, label, embedding, created FROM task_examples WHERE id IN
       (SELECT DISTINCT id FROM task_examples WHERE id > ? ORDER BY id LIMIT ?) ORDER BY id, modality`,
      after,
      limit,
    )
    .toArray();
}
