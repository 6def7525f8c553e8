/**
 * @module
 * How the CLI prints: JSON for scripts (`--json`), aligned plain text for people, errors on stderr prefixed with
 * the program's name, and the exit codes a shell expects.
 */
import type { Classification } from '#client';
import type { Evaluation } from './evaluate.ts';
import type { TeachSummary } from './teach.ts';

export const exitCodes = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** A mistake in how the command was called: exit code 2, like commander's own. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether stderr is a terminal, for the progress bar. */
  readonly interactive: boolean;
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const score = (value: number) => value.toFixed(3);

/** The fused set and what it rests on: the calibration examples and rank, or why there is no guarantee. */
function setLine({ set = [], conformal }: Classification): string {
  if (conformal === undefined) return set.join(', ');
  const basis =
    conformal.method === 'all-labels'
      ? `every label: ${conformal.detail ?? conformal.reason ?? 'no calibration'}`
      : `${conformal.method}, ${conformal.examples} calibration examples`;
  return `${set.join(', ')}  (${basis})`;
}

export function formatClassification(result: Classification): string {
  const rows = [['', 'fused', ...Object.keys(result.modalities)]];
  for (const { label, score: fused } of result.scores) {
    const perModality = Object.values(result.modalities).map(
      (modality) => modality.scores.find((entry) => entry.label === label)?.score ?? 0,
    );
    rows.push([label, score(fused), ...perModality.map(score)]);
  }
  rows.push(['weight', '', ...Object.values(result.modalities).map((modality) => score(modality.weight))]);
  const missing = result.missing
    .map((entry) => `${entry.modality} (${entry.reason === 'invalid-input' ? entry.detail : entry.reason})`)
    .join(', ');
  const decided = result.label ?? `abstained: ${result.abstained?.detail ?? 'no label'}`;
  const set =
    result.set && result.conformal ? [`set at ${result.conformal.coverage}: ${setLine(result)}`] : [];
  return [
    `${decided}  (${result.fusion.strategy})`,
    table(rows),
    ...set,
    ...(missing ? [`not used: ${missing}`] : []),
  ].join('\n');
}

export function formatTeachSummary(summary: TeachSummary): string {
  const lines = [
    `added ${summary.added} item(s), ${summary.files} file(s); ${summary.skipped} already added; ` +
      `${summary.failed.length} failure(s); ${summary.items} item(s) in the folder`,
  ];
  for (const failure of summary.failed)
    lines.push(`  failed: ${failure.file ?? failure.item}: ${failure.error}`);
  for (const path of summary.ignored) lines.push(`  ignored (unknown type or duplicate): ${path}`);
  if (summary.interrupted) lines.push('interrupted: run the same command again to resume');
  return lines.join('\n');
}

const metric = (value: number | null | undefined, digits = 3) =>
  value == null ? 'n/a' : value.toFixed(digits);

/** The API's coverage rows and abstention curve, when it answered them. */
function coverageLines({ coverage, abstention }: Evaluation): string[] {
  if (coverage === undefined || abstention === undefined) return [];
  const rows = [...coverage.modalities, ...coverage.strategies].map((r) => [
    r.name,
    String(r.level),
    metric(r.coverage),
    metric(r.meanSetSize, 2),
    `${r.calibrated}/${r.n}`,
  ]);
  const levels = abstention[0]?.points.map((p) => `${Math.round(p.abstain * 100)}%`) ?? [];
  const curve = abstention.map(({ name, points }) => [name, ...points.map((p) => metric(p.accuracy))]);
  return [
    '',
    table([['conformal sets', 'level', 'coverage', 'mean size', 'calibrated'], ...rows]),
    '',
    table([['accuracy, abstaining on', ...levels], ...curve]),
  ];
}

export const evaluationSource = ({ source }: Evaluation): string =>
  source === 'api'
    ? 'evaluated by the API (POST /v1/tasks/{id}/evaluate)'
    : 'evaluated client-side, classifying item by item (this API has no evaluation route)';

export function formatEvaluation(evaluation: Evaluation): string {
  const rows = (list: Evaluation['strategies'], title: string) =>
    table([
      [title, 'n', 'accuracy', 'macro-F1', 'log-loss'],
      ...list.map((r) => [r.name, String(r.n), metric(r.accuracy), metric(r.macroF1), metric(r.logLoss)]),
    ]);
  return [
    `${evaluation.items} item(s), ${evaluationSource(evaluation)}`,
    rows(evaluation.strategies, 'strategy'),
    '',
    rows(evaluation.modalities, 'modality'),
    ...(evaluation.recommended ? [`recommended strategy: ${evaluation.recommended}`] : []),
    ...coverageLines(evaluation),
    ...evaluation.failed.map((failure) => `failed: ${failure.item}: ${failure.error}`),
  ].join('\n');
}
