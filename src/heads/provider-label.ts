/**
 * @module
 * The `provider-label` head: a classification endpoint's own label distribution (ImageNet classes, AudioSet
 * events, …) mapped onto a task's labels. A provider label goes to the task label named for it in the task's
 * `label_map` (exactly, else ignoring case), else to the task label of the same name (exactly, else ignoring case
 * when only one task label matches); the scores of provider labels that land on one task label add up.
 *
 * The rest of the mass — provider labels mapped to nothing, and what the endpoint did not return at all (it
 * usually answers only its top few) — is "unmapped". It is evidence for none of the task's labels, so by default
 * (`spread`) it is shared equally among them: a modality whose answer is mostly unmapped says little, and the
 * fusion hears little from it. `drop` renormalises over the mapped mass instead (sharper; right when the task's
 * labels cover every label the provider could answer), and falls back to uniform when nothing was mapped. Scores
 * summing to more than 1 (independent sigmoids) are scaled to sum to 1 first; non-finite or negative scores count
 * as 0. Finally every task label gets at least {@link providerLabelFloor} (a label no provider label reaches is
 * unlikely, not impossible: the `product` fusion takes logs) and the distribution is renormalised.
 *
 * As a head it consumes labels, the only answer a classification endpoint gives, and so takes no examples.
 */
import type { ProviderLabel } from '../backend/types.ts';
import { UnknownNameError } from '../lookup-error.ts';
import { defineHead, labelScorer } from './head.ts';

export const unmappedPolicies = ['spread', 'drop'] as const;

export type UnmappedPolicy = (typeof unmappedPolicies)[number];

/** The least score any task label gets. */
export const providerLabelFloor = 1e-6;

export interface ProviderLabelOptions {
  /** Provider label → task label. */
  readonly labelMap?: Readonly<Record<string, string>> | undefined;
  readonly unmapped?: UnmappedPolicy | undefined;
}

/** Where each provider label goes: the task label's index, or -1. */
export function providerLabelTargets(
  labels: readonly string[],
  labelMap: Readonly<Record<string, string>> = {},
): (providerLabel: string) => number {
  const exact = new Map(labels.map((label, i) => [label, i]));
  const folded = new Map<string, number>();
  const ambiguous = new Set<string>();
  labels.forEach((label, i) => {
    const key = label.toLowerCase();
    if (folded.has(key)) ambiguous.add(key);
    folded.set(key, i);
  });
  const mapped = new Map(Object.entries(labelMap).map(([from, to]) => [from, exact.get(to) ?? -1]));
  const mappedFolded = new Map([...mapped].map(([from, to]) => [from.toLowerCase(), to]));
  return (providerLabel) => {
    const key = providerLabel.toLowerCase();
    return (
      mapped.get(providerLabel) ??
      mappedFolded.get(key) ??
      exact.get(providerLabel) ??
      (ambiguous.has(key) ? undefined : folded.get(key)) ??
      -1
    );
  };
}

function floored(distribution: number[]): number[] {
  const lifted = distribution.map((p) => Math.max(p, providerLabelFloor));
  const total = lifted.reduce((sum, p) => sum + p, 0);
  return lifted.map((p) => p / total);
}

/** The task's distribution from one provider answer (see the module's notes). */
export function mapProviderLabels(
  answer: readonly ProviderLabel[],
  labels: readonly string[],
  options: ProviderLabelOptions = {},
): number[] {
  const target = providerLabelTargets(labels, options.labelMap);
  const clean = answer.map(({ label, score }) => ({
    label,
    score: Number.isFinite(score) && score > 0 ? score : 0,
  }));
  const total = clean.reduce((sum, { score }) => sum + score, 0);
  const scale = total > 1 ? 1 / total : 1;
  const mass = labels.map(() => 0);
  for (const { label, score } of clean) {
    const index = target(label);
    if (index >= 0) mass[index] = (mass[index] ?? 0) + score * scale;
  }
  const mapped = mass.reduce((sum, m) => sum + m, 0);
  if (options.unmapped === 'drop')
    return floored(mapped > 0 ? mass.map((m) => m / mapped) : labels.map(() => 1 / labels.length));
  const share = Math.max(0, 1 - mapped) / labels.length;
  return floored(mass.map((m) => m + share));
}

/** Every target of a label map must be one of the task's labels. */
function checkLabelMap(
  labelMap: Readonly<Record<string, string>> | undefined,
  labels: readonly string[],
): void {
  for (const target of Object.values(labelMap ?? {}))
    if (!labels.includes(target)) throw new UnknownNameError('label', target, labels);
}

export const providerLabelHead = defineHead({
  name: 'provider-label',
  description:
    "A classification endpoint's own labels and scores, mapped onto the task's (label_map, else by name).",
  consumes: 'labels',
  options: { names: ['label_map', 'unmapped'], title: 'label_map and unmapped' },
  init({ given, labels }) {
    checkLabelMap(given.label_map, labels);
    return {
      ...(given.label_map ? { label_map: given.label_map } : {}),
      ...(given.unmapped ? { unmapped: given.unmapped } : {}),
    };
  },
  refusesExamples: ({ at, modality, model, task }) =>
    `${at}: the ${modality} modality of task ${task} uses the provider-label head (the model ${model} answers its own labels, mapped by the task's label_map), so it takes no examples; leave ${modality} out`,
  scorer(fields, labels) {
    const options = { labelMap: fields.label_map, unmapped: fields.unmapped };
    return labelScorer((answer) => mapProviderLabels(answer, labels, options));
  },
});
