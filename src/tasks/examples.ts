/**
 * @module
 * Folding embedded, labelled examples into a task's heads, and taking them out again: pure steps, the I/O happens
 * around them. Every example gets an id (shared by its modalities). Prototype heads are updated incrementally;
 * each modality also keeps its examples' embeddings (base64 float32) so that linear heads, calibration and
 * stacking can be refitted. Those are bounded: a task keeps at most {@link storedBudgetBytes} of them, split evenly
 * between its modalities, and drops the oldest first (counted in `evicted`; the prototype still includes them).
 */
import { addExamples, removeExamples, type LabelledEmbedding } from '../heads/prototype.ts';
import { ApiError } from '../problem.ts';
import { decodeFloat32, encodeFloat32 } from '../vectors.ts';
import type { StoredExample, Task, TaskModality } from './schema.ts';

/**
 * Bounds what a task keeps (rows in its Durable Object): its storage, and the memory and CPU time of a refit, which
 * reads them all.
 */
export const storedBudgetBytes = 16 * 1024 * 1024;

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
}

/** How many examples of this dimension one modality may keep (base64 makes 4 bytes 5⅓ characters). */
export function storedCap(dimension: number, modalities: number): number {
  return Math.max(1, Math.floor(storedBudgetBytes / Math.max(1, modalities) / (dimension * 4 * (4 / 3))));
}

function foldInto(head: TaskModality, mine: readonly EmbeddedExample[], firstId: number, modalities: number) {
  const stored: StoredExample[] = [
    ...head.stored,
    ...mine.map((e) => ({ id: firstId + e.index, label: e.label, embedding: encodeFloat32(e.embedding) })),
  ];
  const cap = storedCap(mine[0]?.embedding.length ?? 1, modalities);
  const dropped = Math.max(0, stored.length - cap);
  return {
    ...head,
    examples: head.examples + mine.length,
    prototype: addExamples(head.prototype, mine),
    stored: stored.slice(dropped),
    evicted: head.evicted + dropped,
  };
}

/**
 * The task with the examples added (ids from `nextExample` on) and its version and `updatedAt` moved on; a 409
 * problem past {@link maxExamplesPerTask}.
 */
export function foldExamples(task: Task, examples: readonly EmbeddedExample[], now: Date): Task {
  const added = new Set(examples.map((e) => e.index)).size;
  checkRoom(task, added);
  const modalities = { ...task.modalities };
  const count = Object.keys(task.modalities).length;
  for (const [name, head] of Object.entries(task.modalities)) {
    const mine = examples.filter((example) => example.modality === name);
    if (mine.length > 0) modalities[name] = foldInto(head, mine, task.nextExample, count);
  }
  return {
    ...task,
    modalities,
    nextExample: task.nextExample + added,
    version: task.version + 1,
    updatedAt: now.toISOString(),
  };
}

/** Which stored examples to take out: by id, or every one of a label. */
export type ExampleSelector = { readonly ids: readonly number[] } | { readonly label: string };

function selects(selector: ExampleSelector, example: StoredExample): boolean {
  return 'ids' in selector ? selector.ids.includes(example.id) : example.label === selector.label;
}

/**
 * The task without the selected stored examples (in every modality) and how many examples went. Examples already
 * evicted cannot be found any more. Linear heads, calibration and stacking keep their fit until the next refit.
 */
export function dropExamples(
  task: Task,
  selector: ExampleSelector,
  now: Date,
): { task: Task; removed: number } {
  const ids = new Set<number>();
  const modalities = Object.fromEntries(
    Object.entries(task.modalities).map(([name, head]) => {
      const gone = head.stored.filter((example) => selects(selector, example));
      gone.forEach((example) => ids.add(example.id));
      const embeddings = gone.map((e) => ({ label: e.label, embedding: decodeFloat32(e.embedding) }));
      return [
        name,
        {
          ...head,
          examples: head.examples - gone.length,
          prototype: removeExamples(head.prototype, embeddings),
          stored: head.stored.filter((example) => !selects(selector, example)),
        },
      ];
    }),
  );
  if (ids.size === 0) return { task, removed: 0 };
  return {
    task: { ...task, modalities, version: task.version + 1, updatedAt: now.toISOString() },
    removed: ids.size,
  };
}
