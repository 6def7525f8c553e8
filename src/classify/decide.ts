/**
 * @module
 * One item's answer from its per-modality outcomes: the breakdown, what is missing and why, and the fusion. An
 * item with nothing to fuse is refused: 503 (with Retry-After) when the backend is the cause, else 422.
 */
import { rank } from '../rank.ts';
import { fuse, resolveWeights, type Decision } from '../fusion/fuse.ts';
import { ApiError } from '../problem.ts';
import type { Task } from '../tasks/schema.ts';
import type { ResolvedFusion } from './request.ts';
import type { Classification, MissingReason } from './schema.ts';

export type Outcome =
  | { readonly kind: 'scores'; readonly scores: readonly number[] }
  | {
      readonly kind: 'missing';
      readonly reason: MissingReason;
      readonly detail?: string;
      readonly retryAfter?: number;
    };

type Missing = Classification['missing'][number];

function nothingToFuse(
  missing: readonly Missing[],
  outcomes: ReadonlyMap<string, Outcome>,
  at: string,
): ApiError {
  const extensions = { missing };
  const retryAfter = [...outcomes.values()].flatMap((o) =>
    o.kind === 'missing' && o.retryAfter ? [o.retryAfter] : [],
  );
  if (retryAfter.length > 0) {
    const detail = `${at}: no modality could be classified because the inference backend is unavailable`;
    return new ApiError(503, 'backend-unavailable', detail, {
      extensions,
      headers: { 'Retry-After': String(Math.max(...retryAfter)) },
    });
  }
  const why = missing.map((m) => `${m.modality} (${m.reason})`).join(', ');
  return new ApiError(422, 'no-usable-modality', `${at}: no modality the task can use was given: ${why}`, {
    extensions,
  });
}

export function decideItem(
  task: Task,
  outcomes: ReadonlyMap<string, Outcome>,
  fusion: ResolvedFusion,
  at: string,
): Classification {
  const decisions: Decision[] = [];
  const missing: Missing[] = [];
  for (const modality of Object.keys(task.modalities)) {
    const outcome = outcomes.get(modality) ?? { kind: 'missing', reason: 'absent' };
    if (outcome.kind === 'scores') decisions.push({ modality, scores: outcome.scores });
    else
      missing.push({
        modality,
        reason: outcome.reason,
        ...(outcome.detail ? { detail: outcome.detail } : {}),
      });
  }
  if (decisions.length === 0) throw nothingToFuse(missing, outcomes, at);
  if (
    resolveWeights(
      decisions.map((d) => d.modality),
      fusion.weights,
    ) === undefined
  ) {
    const detail = `${at}: every modality that could be classified has fusion weight 0`;
    throw new ApiError(422, 'no-usable-modality', detail, { extensions: { missing } });
  }
  const fused = fuse(task.labels, decisions, fusion);
  const winner = task.labels.indexOf(fused.label);
  const support = decisions.reduce(
    (sum, d) => sum + (fused.weights[d.modality] ?? 0) * (d.scores[winner] ?? 0),
    0,
  );
  const modalities = Object.fromEntries(
    decisions.map(({ modality, scores }) => {
      const ranked = rank(task.labels, scores);
      const weight = fused.weights[modality] ?? 0;
      const share = support > 0 ? (weight * (scores[winner] ?? 0)) / support : 0;
      return [modality, { label: ranked[0]?.label ?? '', scores: ranked, weight, share }];
    }),
  );
  return {
    task: task.id,
    label: fused.label,
    scores: fused.scores,
    modalities,
    missing,
    fusion: { strategy: fused.strategy, weights: fused.weights },
  };
}
