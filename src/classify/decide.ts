/**
 * @module
 * One item's answer from its per-modality outcomes: the breakdown, what is missing and why, and the fusion over the
 * rest. A refused input is missing as `invalid-input`, carrying the problem it would have got. The item itself is
 * refused only when it has nothing to fuse — 503 (with Retry-After) when the backend is a cause, since a retry may
 * answer it; else its refused inputs' problem; else 422 — or, when it asks to be strict, as soon as an input is
 * refused.
 */
import { rank } from '../rank.ts';
import { fuseDistribution, resolveWeights, type Decision, type FusionResult } from '../fusion/fuse.ts';
import { ApiError, problemFields } from '../problem.ts';
import { refusalOf } from '../scoring/refused.ts';
import type { ClassifyTask } from '../tasks/heads-wire.ts';
import type { Abstain } from '../tasks/schema.ts';
import { abstention, setsOf } from './conformal.ts';
import type { ResolvedFusion } from './request.ts';
import type { Classification, MissingReason } from './schema.ts';

/** What a derived part read, shown in its breakdown entry (`image.text`: the recognised text, its confidence). */
export interface PartReading {
  readonly text?: string;
  readonly confidence?: number;
}

export type Outcome =
  | { readonly kind: 'scores'; readonly scores: readonly number[]; readonly reading?: PartReading }
  | {
      readonly kind: 'missing';
      readonly reason: MissingReason;
      readonly detail?: string;
      readonly retryAfter?: number;
    }
  | { readonly kind: 'refused'; readonly problem: ApiError };

/** How one item is decided: where it sits in the request, its fusion, and whether a refused input refuses it. */
export interface ItemPlan {
  readonly at: string;
  readonly fusion: ResolvedFusion;
  readonly strict: boolean;
  /** Answer conformal sets at this level (`conformal.ts`). */
  readonly coverage?: number;
  readonly abstain?: Abstain;
}

type Missing = Classification['missing'][number];

function missingOf(modality: string, outcome: Exclude<Outcome, { kind: 'scores' }>): Missing {
  if (outcome.kind === 'refused') {
    const { type, title, status, detail, code } = problemFields(outcome.problem);
    return { modality, reason: 'invalid-input', type, title, status, detail, code };
  }
  return { modality, reason: outcome.reason, ...(outcome.detail ? { detail: outcome.detail } : {}) };
}

function nothingToFuse(
  missing: readonly Missing[],
  outcomes: ReadonlyMap<string, Outcome>,
  refused: readonly ApiError[],
  at: string,
): ApiError {
  const retryAfters = [...outcomes.values()].flatMap((o) =>
    o.kind === 'missing' && o.retryAfter ? [o.retryAfter] : [],
  );
  if (retryAfters.length > 0) {
    const retryAfter = Math.max(...retryAfters);
    const detail = `${at}: no modality could be classified because the inference backend is unavailable`;
    return new ApiError(503, 'backend-unavailable', detail, {
      extensions: { missing, retryAfter },
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
  if (refused.length > 0) return refusalOf(refused, { missing });
  const why = missing.map((m) => `${m.modality} (${m.reason})`).join(', ');
  const detail = `${at}: no modality the task can use was given: ${why}`;
  return new ApiError(422, 'no-usable-modality', detail, { extensions: { missing } });
}

/**
 * Each fused modality's own ranking, weight and share of the winning label's support. A lone modality passes
 * through fusion untouched, so its ranking is the fused one: not ranked again (thousands of labels).
 */
function breakdown(
  labels: readonly string[],
  decisions: readonly Decision[],
  fused: FusionResult,
  topK: number,
) {
  const [lone] = decisions;
  if (lone !== undefined && decisions.length === 1) {
    const weight = fused.weights[lone.modality] ?? 0;
    const entry = { label: fused.label, scores: fused.scores, weight, share: weight > 0 ? 1 : 0 };
    return { [lone.modality]: entry };
  }
  const shares = supportShares(decisions, fused.weights, labels.indexOf(fused.label));
  return Object.fromEntries(
    decisions.map(({ modality, scores }) => {
      const ranked = rank(labels, scores, topK);
      const weight = fused.weights[modality] ?? 0;
      return [
        modality,
        { label: ranked[0]?.label ?? '', scores: ranked, weight, share: shares[modality] ?? 0 },
      ];
    }),
  );
}

/** Each modality's share of the winning label's support, `w_m p_m(winner) / Σ w p(winner)` (0 without support). */
export function supportShares(
  decisions: readonly Decision[],
  weights: Readonly<Record<string, number>>,
  winner: number,
): Record<string, number> {
  const support = decisions.reduce((sum, d) => sum + (weights[d.modality] ?? 0) * (d.scores[winner] ?? 0), 0);
  return Object.fromEntries(
    decisions.map((d) => [
      d.modality,
      support > 0 ? ((weights[d.modality] ?? 0) * (d.scores[winner] ?? 0)) / support : 0,
    ]),
  );
}

function withReadings<E>(entries: Record<string, E>, readings: Readonly<Record<string, PartReading>>) {
  return Object.fromEntries(
    Object.entries(entries).map(([modality, entry]) => [modality, { ...entry, ...readings[modality] }]),
  );
}

export function decideItem(
  task: ClassifyTask,
  outcomes: ReadonlyMap<string, Outcome>,
  plan: ItemPlan,
): Classification {
  const decisions: Decision[] = [];
  const missing: Missing[] = [];
  const refused: ApiError[] = [];
  const readings: Record<string, PartReading> = {};
  for (const modality of Object.keys(task.modalities)) {
    const outcome = outcomes.get(modality) ?? { kind: 'missing', reason: 'absent' };
    if (outcome.kind === 'scores') decisions.push({ modality, scores: outcome.scores });
    else missing.push(missingOf(modality, outcome));
    if (outcome.kind === 'scores' && outcome.reading) readings[modality] = outcome.reading;
    // An input and its derived parts share one refusal (`image`, `image.text`): it is named once.
    if (outcome.kind === 'refused' && !refused.includes(outcome.problem)) refused.push(outcome.problem);
  }
  if (plan.strict && refused.length > 0) throw refusalOf(refused, { missing });
  if (decisions.length === 0) throw nothingToFuse(missing, outcomes, refused, plan.at);
  const present = decisions.map((d) => d.modality);
  if (resolveWeights(present, plan.fusion.weights) === undefined) {
    const detail = `${plan.at}: every modality that could be classified has fusion weight 0`;
    throw new ApiError(422, 'no-usable-modality', detail, { extensions: { missing } });
  }
  return answerOf(task, decisions, missing, readings, plan);
}

/** The answer from the decisions fused: ranked, broken down, with its sets and abstention when asked for. */
function answerOf(
  task: ClassifyTask,
  decisions: readonly Decision[],
  missing: Missing[],
  readings: Readonly<Record<string, PartReading>>,
  plan: ItemPlan,
): Classification {
  const fused = fuseDistribution(decisions, plan.fusion);
  const scores = rank(task.labels, fused.distribution, plan.fusion.topK);
  const label = scores[0]?.label ?? '';
  const result = { label, scores, strategy: fused.strategy, weights: fused.weights };
  const modalities = breakdown(task.labels, decisions, result, plan.fusion.topK);
  const coverage = plan.coverage;
  const sets = coverage === undefined ? undefined : setsOf(task, decisions, fused, { ...plan, coverage });
  for (const [name, view] of Object.entries(sets?.modalities ?? {}))
    if (modalities[name]) modalities[name] = { ...modalities[name], ...view };
  const evidence = {
    confidence: scores[0]?.score ?? 0,
    setSize: sets?.fused.set.length,
    missing: missing.length,
  };
  const abstained = abstention(plan.abstain, evidence);
  return {
    task: task.id,
    label: abstained ? null : label,
    ...(abstained ? { abstained } : {}),
    ...(sets ? sets.fused : {}),
    scores,
    modalities: withReadings(modalities, readings),
    missing,
    fusion: { strategy: fused.strategy, weights: fused.weights },
  };
}
