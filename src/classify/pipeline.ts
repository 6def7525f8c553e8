/**
 * @module
 * The classify pipeline, the same for one item or a batch: check → normalise every input (adapters, in
 * parallel) → embed (one backend call per modality, all items batched) → heads → fusion. Each stage is timed
 * for `Server-Timing`. A modality whose backend call fails is reported as missing rather than failing the item.
 * A modality with a provider-label head asks its model's classification endpoint for labels instead of an
 * embedding (in the same `backend` stage); its failures are reported the same way.
 */
import type { CanonicalInput } from '../../adapters/types.ts';
import { embedJobs, labelJobs, type EmbedResult, type LabelResult } from '../scoring/stage.ts';
import { BackendError } from '../backend/errors.ts';
import type { BackendClient } from '../backend/types.ts';
import { normalizeInputs, type InputRequest } from '../inputs/normalize.ts';
import type { Modalities } from '../modalities.ts';
import { checkTaskInputs } from '../tasks/check.ts';
import type { Task } from '../tasks/schema.ts';
import type { Timer } from '../timer.ts';
import { decideItem, type Outcome } from './decide.ts';
import { resolveFusion, type ClassifyRequest } from './request.ts';
import { isLabelScorer, scorersOf, type ModalityScorer } from '../heads/task-heads.ts';
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
    Object.keys(task.modalities).flatMap((modality) => {
      const value = item.inputs[modality];
      return value === undefined ? [] : [{ item: index, modality, value, at: `${item.at}.${modality}` }];
    }),
  );
}

function missingFor(result: BackendError): Outcome {
  // A model the backend does not serve will not come back by retrying; an outage will.
  const retryAfter = result.kind === 'unknown-model' ? undefined : result.retryAfter;
  return {
    kind: 'missing',
    reason: 'backend-unavailable',
    detail: result.message,
    ...(retryAfter ? { retryAfter } : {}),
  };
}

function outcomeOf(
  slot: Slot,
  result: EmbedResult | LabelResult | undefined,
  scorers: ReadonlyMap<string, ModalityScorer>,
): Outcome {
  const scorer = scorers.get(slot.modality);
  if (scorer === undefined) return { kind: 'missing', reason: 'absent' };
  if (result instanceof BackendError) return missingFor(result);
  if (isLabelScorer(scorer))
    return Array.isArray(result)
      ? { kind: 'scores', scores: scorer.fromLabels(result) }
      : { kind: 'missing', reason: 'absent' };
  if (typeof scorer !== 'function') return { kind: 'missing', ...scorer };
  if (result === undefined || Array.isArray(result)) return { kind: 'missing', reason: 'absent' };
  return { kind: 'scores', scores: scorer(result) };
}

/** The jobs for inputs of the given modalities: taught ones (a head without examples needs no embedding), or
 * those with a provider-label head. */
function jobsFor(
  task: Task,
  slots: readonly Slot[],
  canonical: readonly CanonicalInput[],
  taught: ReadonlySet<string>,
) {
  return slots.flatMap((slot, i) => {
    const model = task.modalities[slot.modality]?.model;
    const input = canonical[i];
    return model !== undefined && input !== undefined && taught.has(slot.modality)
      ? [{ slot: i, model, input }]
      : [];
  });
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
  const scorers = scorersOf(task);
  const modalitiesWhere = (test: (scorer: ModalityScorer) => boolean) =>
    new Set([...scorers].filter(([, scorer]) => test(scorer)).map(([name]) => name));
  const jobs = jobsFor(
    task,
    slots,
    canonical,
    modalitiesWhere((s) => typeof s === 'function'),
  );
  const asked = jobsFor(task, slots, canonical, modalitiesWhere(isLabelScorer));
  const [embedded, labelled] = await time('backend', () =>
    Promise.all([embedJobs(backend, jobs), labelJobs(backend, asked)]),
  );
  const results = new Map<number, EmbedResult | LabelResult | undefined>([
    ...jobs.map((job, i) => [job.slot, embedded[i]] as const),
    ...asked.map((job, i) => [job.slot, labelled[i]] as const),
  ]);
  const outcomes = await time('heads', () => {
    const perItem = request.items.map(() => new Map<string, Outcome>());
    slots.forEach((slot, i) =>
      perItem[slot.item]?.set(slot.modality, outcomeOf(slot, results.get(i), scorers)),
    );
    return perItem;
  });
  return time('fusion', () =>
    plans.map((plan, i) => decideItem(task, outcomes[i] ?? new Map(), plan.fusion, plan.at)),
  );
}
