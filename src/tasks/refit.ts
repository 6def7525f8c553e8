/**
 * @module
 * Refitting a task from its stored example embeddings, a pure step: linear heads are fitted (L2-regularised
 * multinomial logistic regression), prototype heads rebuilt exactly when no example was evicted, and — from
 * k-fold out-of-fold distributions — a calibration temperature per modality and the stacking meta-classifier.
 */
import { defaultFolds, fitFusion, outOfFold } from '../evaluate/cross-validate.ts';
import { fitLinear } from '../heads/linear.ts';
import { addExamples, emptyPrototype } from '../heads/prototype.ts';
import { decodeFloat32 } from '../vectors.ts';
import type { Task, TaskModality } from './schema.ts';

export interface RefitReport {
  /** Multimodal examples the fit saw (by id). */
  readonly examples: number;
  readonly folds: number;
  /** Calibration temperature per modality (absent: too few examples to fit one). */
  readonly temperatures: Record<string, number>;
  readonly stacking: boolean;
  /** Modalities whose linear head was fitted. */
  readonly linear: string[];
}

function decoded(head: TaskModality) {
  return head.stored.map((e) => ({ item: e.id, label: e.label, embedding: decodeFloat32(e.embedding) }));
}

function refitHead(task: Task, head: TaskModality): TaskModality {
  const examples = decoded(head);
  if (examples.length === 0) return head;
  // Rebuilt from scratch when every example is still stored: removes the drift of many incremental updates.
  const prototype = head.evicted === 0 ? addExamples(emptyPrototype(), examples) : head.prototype;
  const linear = head.head === 'linear' ? { linear: fitLinear(examples, task.labels) } : {};
  return { ...head, prototype, ...linear };
}

/** The refitted task (version moved on) and what was fitted. */
export function refitTask(task: Task, now: Date, folds = defaultFolds): { task: Task; report: RefitReport } {
  const modalities = Object.fromEntries(
    Object.entries(task.modalities).map(([name, head]) => [name, refitHead(task, head)]),
  );
  const ids = new Set(Object.values(task.modalities).flatMap((head) => head.stored.map((e) => e.id)));
  const k = Math.min(folds, ids.size);
  const heads = Object.fromEntries(
    Object.entries(modalities)
      // A zero-shot head does not score by prototype or linear weights: its held-out scores would be another head's.
      .filter(([, head]) => head.stored.length > 0 && head.head !== 'zero-shot')
      .map(([name, head]) => [
        name,
        {
          head: head.head === 'linear' ? ('linear' as const) : ('prototype' as const),
          temperature: head.temperature,
          examples: decoded(head),
        },
      ]),
  );
  const cases = k >= 2 ? outOfFold(task.labels, heads, k) : [];
  const fitted = cases.length > 0 ? fitFusion(cases, task.labels.length) : undefined;
  for (const [name, temperature] of Object.entries(fitted?.temperatures ?? {})) {
    const head = modalities[name];
    if (head) modalities[name] = { ...head, calibration: temperature };
  }
  const fusion = fitted ? { ...task.fusion, stacking: fitted.stacking } : task.fusion;
  const report: RefitReport = {
    examples: ids.size,
    folds: k,
    temperatures: fitted?.temperatures ?? {},
    stacking: fitted !== undefined,
    linear: Object.entries(modalities).flatMap(([name, head]) =>
      head.head === 'linear' && head.stored.length > 0 ? [name] : [],
    ),
  };
  return {
    task: { ...task, modalities, fusion, version: task.version + 1, updatedAt: now.toISOString() },
    report,
  };
}
