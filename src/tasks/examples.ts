/**
 * @module
 * Folding embedded, labelled examples into a task's heads, and taking them out again: pure steps, the I/O happens
 * around them. Every example gets an id (shared by its modalities). Prototype heads are updated incrementally; each
 * example's embeddings (base64 float32) become rows (`example-rows.ts`) that linear heads, calibration and stacking
 * are refitted from. All are kept (none is evicted: `evicted` stays 0, and counts only what tasks stored before
 * examples were rows dropped), up to {@link maxExamplesPerTask}.
 */
import { addExamples, removeExamples, type LabelledEmbedding } from '../heads/prototype.ts';
import { ApiError } from '../problem.ts';
import { decodeFloat32, encodeFloat32 } from '../vectors.ts';
import type { ExampleRow, ExampleSelector, RowChange } from './example-rows.ts';
import type { Task, TaskModality } from './schema.ts';

export type { ExampleSelector } from './example-rows.ts';

/**
 * The most examples a task holds (taught and not removed; one example counts once whatever its modalities): its
 * prototype sums do not grow with them, but its ids, counts and the refit's work do.
 */
export const maxExamplesPerTask = 100_000;

/** How many examples the task holds: its most taught modality's count. */
function heldExamples(task: Task): number {
  return Math.max(0, ...Object.values(task.modalities).map((head) => head.examples));
}

function checkRoom(task: Task, adding: number): void {
  const held = heldExamples(task);
  if (held + adding <= maxExamplesPerTask) return;
  const detail = `the task ${JSON.stringify(task.id)} holds ${held} examples; ${adding} more would pass the limit of ${maxExamplesPerTask}: remove some first`;
  throw new ApiError(409, 'task-full', detail, { extensions: { limit: maxExamplesPerTask, held } });
}

export interface EmbeddedExample extends LabelledEmbedding {
  readonly modality: string;
  /** The example's index in its request: examples of one index share an id. */
  readonly index: number;
  /** When it was first taught (epoch ms), for an imported example; default: now. */
  readonly created?: number | null;
}

function foldInto(head: TaskModality, mine: readonly EmbeddedExample[]): TaskModality {
  return { ...head, examples: head.examples + mine.length, prototype: addExamples(head.prototype, mine) };
}

/**
 * The task with the examples added (ids from `nextExample` on) and its version and `updatedAt` moved on, and their
 * rows; a 409 problem past {@link maxExamplesPerTask}.
 */
export function foldExamples(
  task: Task,
  examples: readonly EmbeddedExample[],
  now: Date,
): { task: Task; rows: RowChange } {
  const added = new Set(examples.map((e) => e.index)).size;
  checkRoom(task, added);
  const modalities = { ...task.modalities };
  for (const [name, head] of Object.entries(task.modalities)) {
    const mine = examples.filter((example) => example.modality === name);
    if (mine.length > 0) modalities[name] = foldInto(head, mine);
  }
  const created = now.getTime();
  const insert: ExampleRow[] = examples.map((e) => ({
    modality: e.modality,
    id: task.nextExample + e.index,
    label: e.label,
    embedding: encodeFloat32(e.embedding),
    created: e.created === undefined ? created : e.created,
  }));
  const next = {
    ...task,
    modalities,
    nextExample: task.nextExample + added,
    version: task.version + 1,
    updatedAt: now.toISOString(),
  };
  return { task: next, rows: { insert } };
}

/**
 * The task without the `gone` rows (the selected examples' rows, in every modality: `selectedRows`) and how many
 * examples went; their embeddings are subtracted from the prototype. Linear heads, calibration and stacking keep
 * their fit until the next refit.
 */
export function dropExamples(
  task: Task,
  gone: readonly ExampleRow[],
  now: Date,
): { task: Task; removed: number; rows: RowChange } {
  const ids = new Set(gone.map((row) => row.id));
  if (ids.size === 0) return { task, removed: 0, rows: {} };
  const modalities = Object.fromEntries(
    Object.entries(task.modalities).map(([name, head]) => {
      const mine = gone.filter((row) => row.modality === name);
      const embeddings = mine.map((e) => ({ label: e.label, embedding: decodeFloat32(e.embedding) }));
      const prototype = removeExamples(head.prototype, embeddings);
      return [name, { ...head, examples: head.examples - mine.length, prototype }];
    }),
  );
  const remove = gone.map(({ modality, id }) => ({ modality, id }));
  return {
    task: { ...task, modalities, version: task.version + 1, updatedAt: now.toISOString() },
    removed: ids.size,
    rows: { remove },
  };
}

/** How an `ExampleSelector` reads rows (the object's SQLite). */
export type RowReader = (selector: ExampleSelector) => ExampleRow[];
