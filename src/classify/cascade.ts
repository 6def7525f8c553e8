/**
 * @module
 * The cost-aware cascade of classify: each item's inputs in the stages its fusion's cascade names (the modalities
 * not named join the first stage; without a cascade, one stage holds them all). The pipeline scores one round at a
 * time — every item's next stage together, so a round is still one backend call per model — and before each round
 * an item whose fused top score so far reaches its `stop_at` stops: its later inputs are never normalised nor
 * sent, and are missing as `cascade-stopped`.
 */
import { ApiError } from '../problem.ts';
import type { ClassifyTask } from '../tasks/heads-wire.ts';
import { decideItem, type ItemPlan, type Outcome } from './decide.ts';

/** One input of the request: which item, which modality. */
export interface ItemSlot {
  readonly item: number;
  readonly modality: string;
}

/** The slots of one item in the order they are scored (see the module's notes). */
export function stagesOf<S extends ItemSlot>(slots: readonly S[], plan: ItemPlan): S[][] {
  const order = plan.fusion.cascade?.order;
  if (order === undefined) return [[...slots]];
  const unnamed = slots.filter((slot) => !order.includes(slot.modality));
  const named = order
    .map((modality) => slots.filter((slot) => slot.modality === modality))
    .filter((stage) => stage.length > 0);
  const [first = [], ...rest] = named;
  return [[...unnamed, ...first], ...rest];
}

/** The fused top score of what was scored so far; undefined while nothing can be fused. */
function topScore(
  task: ClassifyTask,
  outcomes: ReadonlyMap<string, Outcome>,
  plan: ItemPlan,
): number | undefined {
  try {
    return decideItem(task, outcomes, plan).scores[0]?.score;
  } catch (error) {
    if (error instanceof ApiError) return undefined;
    throw error;
  }
}

/** Why the rest of an item is not scored, naming what was (in task order). */
function stoppedOutcome(
  task: ClassifyTask,
  score: number,
  stopAt: number,
  outcomes: ReadonlyMap<string, Outcome>,
) {
  const scored = Object.keys(task.modalities).filter((modality) => outcomes.get(modality)?.kind === 'scores');
  const detail = `the fused top score ${score.toFixed(3)} of ${scored.join(', ')} reached stop_at ${stopAt}`;
  return { kind: 'missing', reason: 'cascade-stopped', detail } as const;
}

/** The rounds of one request: `next` gives the slots to score now, after marking the items that stop. */
export function cascadeRounds<S extends ItemSlot>(
  task: ClassifyTask,
  plans: readonly ItemPlan[],
  slots: readonly S[],
  outcomes: readonly Map<string, Outcome>[],
) {
  const stages = plans.map((plan, item) =>
    stagesOf(
      slots.filter((slot) => slot.item === item),
      plan,
    ),
  );
  let round = 0;
  /** Whether the item stops before `round`; if so its slots from there on are marked. */
  function stops(item: number): boolean {
    const plan = plans[item];
    const own = outcomes[item];
    const stopAt = plan?.fusion.cascade?.stop_at;
    if (round === 0 || plan === undefined || own === undefined || stopAt === undefined) return false;
    const score = topScore(task, own, plan);
    if (score === undefined || score < stopAt) return false;
    const stopped = stoppedOutcome(task, score, stopAt, own);
    for (const slot of stages[item]?.splice(round).flat() ?? []) own.set(slot.modality, stopped);
    return true;
  }
  return {
    next(): S[] {
      const due = stages.flatMap((own, item) =>
        round < own.length && !stops(item) ? (own[round] ?? []) : [],
      );
      round += 1;
      return due;
    },
  };
}
