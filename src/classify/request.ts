/**
 * @module
 * A classify request in one shape, whichever way it came (JSON single, JSON batch, multipart), and the fusion
 * options of each item: a known strategy, weights and a cascade for the task's modalities only.
 */
import type { z } from '@hono/zod-openapi';
import { checkCascade, type Cascade } from '../fusion/cascade.ts';
import { findStrategy } from '../fusion/registry.ts';
import type { StackingModel } from '../fusion/stacking-model.ts';
import { formInputs, jsonField } from '../inputs/body.ts';
import type { InputValue } from '../inputs/raw-input.ts';
import { checkWeights } from '../tasks/build.ts';
import type { ClassifyTask } from '../tasks/heads-wire.ts';
import { AbstainSchema, FusionConfigSchema, type Abstain } from '../tasks/schema.ts';
import { ApiError } from '../problem.ts';
import { defaultTopKFor, type ClassifyFormSchema, type ClassifyJsonSchema } from './schema.ts';

type FusionConfig = z.infer<typeof FusionConfigSchema>;

export interface ClassifyItem {
  readonly inputs: Readonly<Record<string, InputValue>>;
  readonly fusion?: FusionConfig | undefined;
  /** Where the item's inputs sit in the request (`inputs`, `items[2].inputs`). */
  readonly at: string;
  /** How many labels its answer lists (over the request's). */
  readonly topK?: number | undefined;
}

export interface ClassifyRequest {
  readonly task: string;
  readonly items: readonly ClassifyItem[];
  /** Whether the answer is an array (the `items` form). */
  readonly batch: boolean;
  /** Whether a refused input refuses its item (else the item is answered from its other modalities). */
  readonly strict: boolean;
  readonly fusion?: FusionConfig | undefined;
  readonly topK?: number | undefined;
  readonly coverage?: number | undefined;
  readonly abstain?: Abstain | undefined;
}

/** The fusion options an item is classified with: the item's, over the request's, over the task's. */
export interface ResolvedFusion {
  readonly strategy: string;
  readonly weights: Readonly<Record<string, number>>;
  /** Score the modalities in stages and stop when confident (`classify/cascade.ts`). */
  readonly cascade?: Cascade;
  /** The task's fitted meta-classifier, for `stacking`. */
  readonly stacking?: StackingModel;
  /** How many of the best labels the answer lists. */
  readonly topK: number;
}

export function fromJson(body: z.infer<typeof ClassifyJsonSchema>): ClassifyRequest {
  const items = body.items?.map((item, i) => ({
    inputs: item.inputs,
    fusion: item.fusion,
    at: `items[${i}].inputs`,
    topK: item.top_k,
  })) ?? [{ inputs: body.inputs ?? {}, at: 'inputs' }];
  return {
    task: body.task,
    items,
    batch: body.items !== undefined,
    strict: body.strict ?? false,
    fusion: body.fusion,
    topK: body.top_k,
    coverage: body.coverage,
    abstain: body.abstain,
  };
}

export function fromForm(form: z.infer<typeof ClassifyFormSchema>): ClassifyRequest {
  const fusion = jsonField(form, 'fusion', FusionConfigSchema);
  const inputs = formInputs(form, ['task', 'fusion', 'strict', 'top_k', 'coverage', 'abstain']);
  return {
    task: form.task,
    items: [{ inputs, at: 'form' }],
    batch: false,
    strict: form.strict === 'true',
    fusion,
    topK: form.top_k === undefined ? undefined : Number(form.top_k),
    coverage: form.coverage === undefined ? undefined : Number(form.coverage),
    abstain: jsonField(form, 'abstain', AbstainSchema),
  };
}

/** The coverage and abstention an answer is given: the request's, over the task's. */
export function resolveDecision(task: ClassifyTask, request: ClassifyRequest) {
  const coverage = request.coverage ?? task.fusion.coverage;
  const abstain = request.abstain ?? task.fusion.abstain;
  if (abstain?.max_set_size !== undefined && coverage === undefined) {
    const detail = 'abstain.max_set_size reads the conformal set: give a coverage too';
    throw new ApiError(400, 'invalid-request', detail);
  }
  return { ...(coverage === undefined ? {} : { coverage }), ...(abstain ? { abstain } : {}) };
}

/** The item's cascade, over the request's, over the task's; `null` at any level turns it off. */
function cascadeOf(task: ClassifyTask, request: ClassifyRequest, item: ClassifyItem): Cascade | undefined {
  const given = item.fusion?.cascade !== undefined ? item.fusion.cascade : request.fusion?.cascade;
  return (given === undefined ? task.fusion.cascade : given) ?? undefined;
}

export function resolveFusion(
  task: ClassifyTask,
  request: ClassifyRequest,
  item: ClassifyItem,
): ResolvedFusion {
  const strategy = findStrategy(
    item.fusion?.strategy ?? request.fusion?.strategy ?? task.fusion.strategy,
  ).name;
  const names = Object.keys(task.modalities);
  const overrides = { ...request.fusion?.weights, ...item.fusion?.weights };
  checkWeights(overrides, names);
  const weights = { ...task.fusion.weights, ...overrides };
  const cascade = cascadeOf(task, request, item);
  checkCascade(cascade, names);
  const topK = item.topK ?? request.topK ?? defaultTopKFor(task.labels.length);
  return {
    strategy,
    weights,
    topK,
    ...(cascade ? { cascade } : {}),
    ...(task.fusion.stacking ? { stacking: task.fusion.stacking } : {}),
  };
}
