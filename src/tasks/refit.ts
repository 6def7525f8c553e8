/**
 * @module
 * Refitting a task from its stored example embeddings (every row, read page by page: `example-rows.ts`), a pure
 * computation in slices (each page read, each modality's fit, each
 * fold of the cross-validation, the fusion fit: `refit-job.ts` pauses between them): heads that fit on refit are fitted (linear:
 * L2-regularised multinomial logistic regression), every modality's running sums (the prototype head's state)
 * rebuilt exactly when no example was evicted, and — from k-fold out-of-fold distributions of the heads that learn
 * from examples — a calibration temperature per modality, the stacking meta-classifier and the conformal
 * calibration (`conformal/fit.ts`).
 */
import { conformalCounts, fitConformal } from '../conformal/fit.ts';
import {
  calibrate,
  defaultFolds,
  fitFusion,
  outOfFoldSteps,
  type FittedFusion,
} from '../evaluate/cross-validate.ts';
import type { EvalCase } from '../evaluate/evaluate.ts';
import { addExamples, emptyPrototype } from '../heads/prototype.ts';
import { findHead } from '../heads/registry.ts';
import { decodeFloat32 } from '../vectors.ts';
import type { ExampleRow } from './example-rows.ts';
import type { Task, TaskModality } from './schema.ts';

export interface RefitReport {
  /** Multimodal examples the fit saw (by id). */
  readonly examples: number;
  readonly folds: number;
  /** Calibration temperature per modality (absent: too few examples to fit one). */
  readonly temperatures: Record<string, number>;
  readonly stacking: boolean;
  /** Modalities whose head was fitted on their stored examples (the linear heads). */
  readonly linear: string[];
  /** Conformal calibration examples per modality and per pattern of fused modalities (absent: no folds). */
  readonly conformal?: ReturnType<typeof conformalCounts>;
}

/** The conformal calibration of the out-of-fold cases, calibrated and fused as classify will (`conformal/fit.ts`). */
function conformalOf(cases: readonly EvalCase[], fitted: FittedFusion, weights: Record<string, number>) {
  const stacking = fitted.stacking ? { stacking: fitted.stacking } : {};
  return fitConformal(calibrate(cases, fitted.temperatures), { weights, ...stacking });
}

/** A modality's stored rows, a page at a time. */
export type RowSource = (modality: string) => Iterable<ExampleRow[]>;

type Decoded = { item: number; label: string; embedding: Float32Array }[];

/** Every row of the modality decoded (the base64 of one page at a time), pausing between pages. */
async function decoded(rows: RowSource, modality: string, pause: Pause): Promise<Decoded> {
  const examples: Decoded = [];
  for (const page of rows(modality)) {
    for (const e of page)
      examples.push({ item: e.id, label: e.label, embedding: decodeFloat32(e.embedding) });
    await pause();
  }
  return examples;
}

const fitsOnRefit = (stored: TaskModality) => findHead(stored.head).fitOnRefit === true;

function refitHead(task: Task, stored: TaskModality, examples: Decoded): TaskModality {
  if (examples.length === 0) return stored;
  // Rebuilt from scratch when every example is stored (none was evicted before examples were rows): removes the
  // drift of many incremental updates.
  const prototype = stored.evicted === 0 ? addExamples(emptyPrototype(), examples) : stored.prototype;
  const head = findHead(stored.head);
  const fitted = head.fitOnRefit && head.fit ? head.fit(examples, task.labels) : {};
  return { ...stored, prototype, ...fitted };
}

/** A task refitted without enough examples for folds keeps no calibration of its older examples. */
function withoutConformal({ conformal: _old, ...task }: Task): Omit<Task, 'conformal'> {
  return task;
}

/** Lets other work run between the slices of a refit (in a task's object: its reads and writes). */
export type Pause = () => Promise<void>;

const noPause: Pause = () => Promise.resolve();

/** Runs the steps to their result, pausing before each. */
async function stepped<T>(steps: Generator<void, T>, pause: Pause): Promise<T> {
  for (;;) {
    await pause();
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * The refitted task (version moved on) and what was fitted, computed in slices (each modality's fit, each fold of
 * the cross-validation, the fusion fit) with a `pause` before each, so that the object serves other requests between.
 */
export async function refitTask(
  task: Task,
  rows: RowSource,
  now: Date,
  folds = defaultFolds,
  pause = noPause,
): Promise<{ task: Task; report: RefitReport }> {
  const modalities: Record<string, TaskModality> = {};
  const examples: Record<string, Decoded> = {};
  for (const [name, head] of Object.entries(task.modalities)) {
    examples[name] = await decoded(rows, name, pause);
    modalities[name] = refitHead(task, head, examples[name]);
  }
  const ids = new Set(Object.values(examples).flatMap((mine) => mine.map((e) => e.item)));
  const k = Math.min(folds, ids.size);
  const heads = Object.fromEntries(
    Object.entries(modalities)
      // A head that learns nothing from examples (zero-shot) would be cross-validated as another head.
      .filter(
        ([name, stored]) => (examples[name]?.length ?? 0) > 0 && findHead(stored.head).fit !== undefined,
      )
      .map(([name, stored]) => [
        name,
        { head: stored.head, temperature: stored.temperature, examples: examples[name] ?? [] },
      ]),
  );
  await pause();
  const cases = k >= 2 ? await stepped(outOfFoldSteps(task.labels, heads, k), pause) : [];
  await pause();
  const fitted = cases.length > 0 ? fitFusion(cases, task.labels.length) : undefined;
  for (const [name, temperature] of Object.entries(fitted?.temperatures ?? {})) {
    const head = modalities[name];
    if (head) modalities[name] = { ...head, calibration: temperature };
  }
  const fusion = fitted?.stacking ? { ...task.fusion, stacking: fitted.stacking } : task.fusion;
  await pause();
  const conformal = fitted && conformalOf(cases, fitted, fusion.weights);
  const report: RefitReport = {
    examples: ids.size,
    folds: k,
    temperatures: fitted?.temperatures ?? {},
    stacking: fitted?.stacking !== undefined,
    linear: Object.entries(modalities).flatMap(([name, stored]) =>
      fitsOnRefit(stored) && (examples[name]?.length ?? 0) > 0 ? [name] : [],
    ),
    ...(conformal ? { conformal: conformalCounts(conformal, fusion.strategy) } : {}),
  };
  const next = { ...withoutConformal(task), modalities, fusion, version: task.version + 1 };
  return { task: { ...next, updatedAt: now.toISOString(), ...(conformal ? { conformal } : {}) }, report };
}
