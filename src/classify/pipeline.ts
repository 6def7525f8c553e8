/**
 * @module
 * The classify pipeline, the same for one item or a batch: check → normalise every input (adapters, in
 * parallel) → embed (one backend call per modality, all items batched) → heads → fusion. Each stage is timed
 * for `Server-Timing`. A modality whose backend call fails is reported as missing rather than failing the item.
 */
import type { CanonicalInput } from '../../adapters/types.ts';
import { embedJobs, type EmbedResult } from '../backend/batch.ts';
import { BackendError } from '../backend/errors.ts';
import type { BackendClient } from '../backend/types.ts';
import { exampleCount, scorePrototype } from '../heads/prototype.ts';
import { normalizeInputs, type InputRequest } from '../inputs/normalize.ts';
import type { Modalities } from '../modalities.ts';
import { checkTaskInputs } from '../tasks/check.ts';
import type { Task } from '../tasks/schema.ts';
import type { Timer } from '../timer.ts';
import { decideItem, type Outcome } from './decide.ts';
import { resolveFusion, type ClassifyRequest } from './request.ts';
import type { Classification } from './schema.ts';

export interface ClassifyServices {
  readonly modalities: Modalities;
  readonly backend: BackendClient;
  readonly time: Timer;
}

/** One input present in the request: which item, which modality. */
interface Slot extends InputRequest {
  readonly item: number;
}

function slotsOf(request: ClassifyRequest, task: Task): Slot[] {
  return request.items.flatMap((item, index) =>
    Object.keys(task.modalities)
      .filter((modality) => item.inputs[modality] !== undefined)
      .map((modality) => ({
        item: index,
        modality,
        value: item.inputs[modality] as NonNullable<(typeof item.inputs)[string]>,
        at: `${item.at}.${modality}`,
      })),
  );
}

function outcomeOf(task: Task, slot: Slot, result: EmbedResult | undefined): Outcome {
  const head = task.modalities[slot.modality];
  if (head === undefined || exampleCount(head.prototype) === 0) {
    return {
      kind: 'missing',
      reason: 'no-examples',
      detail: `the task has no ${slot.modality} examples yet`,
    };
  }
  if (result instanceof BackendError || result === undefined) {
    const detail = result?.message ?? 'not embedded';
    return { kind: 'missing', reason: 'backend-unavailable', detail, retryAfter: result?.retryAfter ?? 1 };
  }
  return { kind: 'scores', scores: scorePrototype(head.prototype, task.labels, result, head.temperature) };
}

/** The embed jobs for inputs of taught modalities (a head without examples needs no embedding). */
function jobsFor(task: Task, slots: readonly Slot[], canonical: readonly CanonicalInput[]) {
  return slots.flatMap((slot, i) => {
    const head = task.modalities[slot.modality];
    const input = canonical[i];
    const taught = head !== undefined && input !== undefined && exampleCount(head.prototype) > 0;
    return taught ? [{ slot: i, model: head.model, input }] : [];
  });
}

/** Per item, per modality given: its scores or why it is missing. */
function outcomesOf(
  task: Task,
  request: ClassifyRequest,
  slots: readonly Slot[],
  results: ReadonlyMap<number, EmbedResult>,
) {
  const perItem = request.items.map(() => new Map<string, Outcome>());
  slots.forEach((slot, i) => perItem[slot.item]?.set(slot.modality, outcomeOf(task, slot, results.get(i))));
  return perItem;
}

export async function classify(
  task: Task,
  request: ClassifyRequest,
  { modalities, backend, time }: ClassifyServices,
): Promise<Classification[]> {
  checkTaskInputs(task, modalities, request.items);
  const plans = request.items.map((item) => ({ at: item.at, fusion: resolveFusion(task, request, item) }));
  const slots = slotsOf(request, task);
  const canonical = await time('normalize', () => normalizeInputs(modalities, slots));
  const jobs = jobsFor(task, slots, canonical);
  const embedded = await time('backend', () => embedJobs(backend, jobs));
  const results = new Map(jobs.map((job, i) => [job.slot, embedded[i] as EmbedResult]));
  const outcomes = await time('heads', () => outcomesOf(task, request, slots, results));
  return time('fusion', () =>
    plans.map((plan, i) => decideItem(task, outcomes[i] ?? new Map(), plan.fusion, plan.at)),
  );
}
