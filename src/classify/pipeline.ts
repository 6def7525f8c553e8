/**
 * @module
 * The classify pipeline, the same for one item or a batch: check → the scoring stage (every input normalised, one
 * backend call per model for all items; `scoring/stage.ts`) → heads → fusion, each stage timed for
 * `Server-Timing`; with a cascade, in rounds until each item is confident enough (`cascade.ts`). A modality whose head cannot score yet is only checked, not sent; one whose backend call fails,
 * or whose input its adapter or model refuses, is reported as missing rather than failing the item. Each item is
 * decided alone: its classification, or the problem that refuses it (`answer.ts` makes the request's answer).
 * Callable with any {@link StageServices}, in a request or not.
 */
import type { ModalityScorer, TaskHeads } from '../heads/task-heads.ts';
import { isScorer } from '../heads/head.ts';
import { askIfScorable, scoreAnswer } from '../scoring/score.ts';
import { answerInputs, type InputOutcome, type StageServices } from '../scoring/stage.ts';
import { checkTaskInputs, readingsOf } from '../tasks/check.ts';
import type { Modalities } from '../modalities.ts';
import { cascadeRounds } from './cascade.ts';
import type { ClassifyTask } from '../tasks/heads-wire.ts';
import { ApiError } from '../problem.ts';
import type { ItemResult } from './answer.ts';
import type { Extras } from '../backend/extras.ts';
import { decideItem, type ItemPlan, type Outcome, type PartReading } from './decide.ts';
import { resolveFusion, type ClassifyRequest } from './request.ts';

/** One input present in the request: which item, which modality. */
interface Slot {
  readonly item: number;
  readonly modality: string;
  readonly value: ClassifyRequest['items'][number]['inputs'][string];
  readonly at: string;
}

function slotsOf(request: ClassifyRequest, task: ClassifyTask, modalities: Modalities): Slot[] {
  return request.items.flatMap((item, index) =>
    readingsOf(task, modalities, item).map((reading) => ({ item: index, ...reading })),
  );
}

/** A modality's outcome from its model's answer (see the module's notes); a refused input whatever its head. */
function outcomeOf(answer: InputOutcome, scorer: ModalityScorer): Outcome {
  if (answer.kind === 'refused') return answer;
  if (answer.kind === 'absent')
    return { kind: 'missing', reason: answer.reason, detail: answer.problem.message };
  if (!isScorer(scorer)) return { kind: 'missing', ...scorer };
  if (answer.kind === 'unavailable') {
    // A model the backend does not serve will not come back by retrying; an outage will.
    const retryAfter = answer.error.kind === 'unknown-model' ? undefined : answer.error.retryAfter;
    const detail = answer.error.message;
    return { kind: 'missing', reason: 'backend-unavailable', detail, ...(retryAfter ? { retryAfter } : {}) };
  }
  if (answer.kind === 'checked') return { kind: 'missing', reason: 'absent' };
  const reading = answer.kind === 'embedding' ? readingOf(answer.extras) : undefined;
  return { kind: 'scores', scores: scoreAnswer(scorer, answer), ...(reading ? { reading } : {}) };
}

/** The extras a breakdown shows: a derived part's `text` and `confidence` (others, such as frames, stay inside). */
function readingOf(extras: Extras | undefined): PartReading | undefined {
  const { text, confidence } = extras ?? {};
  if (typeof text !== 'string' && typeof confidence !== 'number') return undefined;
  return {
    ...(typeof text === 'string' ? { text } : {}),
    ...(typeof confidence === 'number' ? { confidence } : {}),
  };
}

/** One item's classification, or the problem that refuses it. */
function decided(task: ClassifyTask, outcomes: ReadonlyMap<string, Outcome>, plan: ItemPlan): ItemResult {
  try {
    return decideItem(task, outcomes, plan);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

/** Scores one round of slots: their inputs through the scoring stage, then each answer through its head. */
async function scoreSlots(
  task: ClassifyTask,
  heads: TaskHeads,
  slots: readonly Slot[],
  outcomes: readonly Map<string, Outcome>[],
  services: StageServices,
): Promise<void> {
  const inputs = slots.map((slot) => {
    const stored = task.modalities[slot.modality];
    const ask = stored && askIfScorable(stored, heads.get(slot.modality));
    return { modality: slot.modality, value: slot.value, at: slot.at, ...(ask ? { ask } : {}) };
  });
  const answers = await answerInputs(inputs, services);
  await services.time('heads', () => {
    slots.forEach((slot, i) => {
      const scorer = heads.get(slot.modality);
      const answer = answers[i];
      if (scorer !== undefined && answer !== undefined)
        outcomes[slot.item]?.set(slot.modality, outcomeOf(answer, scorer));
    });
  });
}

export async function classify(
  task: ClassifyTask,
  heads: TaskHeads,
  request: ClassifyRequest,
  services: StageServices,
): Promise<ItemResult[]> {
  checkTaskInputs(task, services.modalities, request.items);
  const plans = request.items.map((item) => ({
    at: item.at,
    fusion: resolveFusion(task, request, item),
    strict: request.strict,
  }));
  const outcomes = request.items.map(() => new Map<string, Outcome>());
  const rounds = cascadeRounds(task, plans, slotsOf(request, task, services.modalities), outcomes);
  for (let due = rounds.next(); due.length > 0; due = rounds.next())
    await scoreSlots(task, heads, due, outcomes, services);
  return services.time('fusion', () => plans.map((plan, i) => decided(task, outcomes[i] ?? new Map(), plan)));
}
