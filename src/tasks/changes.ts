/**
 * @module
 * The changes a task accepts (besides a refit, which its object runs apart: `refit-job.ts`), as data: they cross from the Worker to the task's Durable Object (structured clone),
 * where {@link applyChange} runs them one at a time against the stored task. Pure: the object does the I/O.
 */
import { ApiError } from '../problem.ts';
import type { RowChange } from './example-rows.ts';
import {
  dropExamples,
  foldExamples,
  type EmbeddedExample,
  type ExampleSelector,
  type RowReader,
} from './examples.ts';
import { TaskSchema, type Task } from './schema.ts';

export type TaskChange =
  /** PUT: a freshly built task takes the stored one's place (its examples go); the version moves on. */
  | { readonly kind: 'replace'; readonly task: Task }
  /** Examples embedded by the Worker with `models` (modality → model) folded into the heads. */
  | {
      readonly kind: 'add-examples';
      readonly examples: readonly EmbeddedExample[];
      readonly models: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'remove-examples'; readonly selector: ExampleSelector };

/** What a change did besides changing the task. */
export interface ChangeOutcome {
  /** `add-examples`: the ids the examples got, in order. */
  readonly ids?: number[];
  /** `remove-examples`: how many examples went. */
  readonly removed?: number;
}

/**
 * The examples were embedded against an earlier state of the task (the Worker embeds before it writes): a label
 * or modality gone, or a model changed by a replace in between, would fold in vectors the heads cannot use.
 */
function checkStillFits(task: Task, change: Extract<TaskChange, { kind: 'add-examples' }>): void {
  const stale =
    change.examples.some(
      (e) => !task.labels.includes(e.label) || task.modalities[e.modality] === undefined,
    ) ||
    Object.entries(change.models).some(([modality, model]) => task.modalities[modality]?.model !== model);
  if (stale) {
    const detail = `the task ${JSON.stringify(task.id)} was replaced while the examples were embedded; send them again`;
    throw new ApiError(409, 'task-changed', detail, { extensions: { version: task.version } });
  }
}

/** What a change makes of a task: the task, its rows' change, and what it did. */
export interface Applied {
  readonly task: Task;
  readonly rows: RowChange;
  readonly outcome: ChangeOutcome;
}

/**
 * The task after `change` (the same object when nothing changed), what to write to its example rows (read through
 * `rowsOf` when the change needs some), and what the change did.
 */
export function applyChange(current: Task, change: TaskChange, now: Date, rowsOf: RowReader): Applied {
  switch (change.kind) {
    case 'replace': {
      // Parsed: the task came across RPC, and defaults (no stored examples) are filled in.
      const fresh = TaskSchema.parse(change.task);
      const task = { ...fresh, version: current.version + 1, createdAt: current.createdAt };
      return { task, rows: { clear: true }, outcome: {} };
    }
    case 'add-examples': {
      checkStillFits(current, change);
      const count = new Set(change.examples.map((e) => e.index)).size;
      const ids = Array.from({ length: count }, (_, i) => current.nextExample + i);
      return { ...foldExamples(current, change.examples, now), outcome: { ids } };
    }
    case 'remove-examples': {
      const { task, removed, rows } = dropExamples(current, rowsOf(change.selector), now);
      return { task, rows, outcome: { removed } };
    }
  }
}
