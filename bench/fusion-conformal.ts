/**
 * @module
 * The conformal table of `bench:fusion`: from the evaluation of the held-out half (sets calibrated by the refit on
 * the examples half only), per fusion strategy and level, the empirical coverage with its binomial standard error
 * `√(c(1−c)/n)` and the mean set size; then the accuracy with no abstention against 10 % and 25 % of the items
 * (the least confident) abstained on.
 */
import type { CoverageRow } from '../cli/evaluate.ts';
import { f3 } from './fusion-api.ts';

export interface ConformalEvaluation {
  readonly coverage: { readonly strategies: readonly CoverageRow[] };
  readonly abstention: readonly {
    readonly name: string;
    readonly points: readonly { abstain: number; kept: number; accuracy: number | null }[];
  }[];
}

function coverageCell(row: CoverageRow | undefined): string {
  if (row?.coverage === null || row?.coverage === undefined) return '–';
  const error = Math.sqrt((row.coverage * (1 - row.coverage)) / row.n);
  const within = row.coverage >= row.level - 2 * Math.sqrt((row.level * (1 - row.level)) / row.n);
  return `${f3(row.coverage)} ± ${f3(error)}${within ? '' : ' (below)'} · ${row.meanSetSize?.toFixed(2) ?? '–'}`;
}

export function printConformalTable(title: string, evaluation: ConformalEvaluation): void {
  const rows = evaluation.coverage.strategies;
  const levels = [...new Set(rows.map((r) => r.level))];
  const names = [...new Set(rows.map((r) => r.name))];
  console.log(`\n${title}: conformal sets on the held-out half (coverage ± binomial s.e. · mean set size)`);
  console.log(`| strategy | ${levels.map((l) => `coverage ${l}`).join(' | ')} | calibrated items |`);
  console.log(`| --- | ${levels.map(() => '---:').join(' | ')} | ---: |`);
  for (const name of names) {
    const mine = rows.filter((r) => r.name === name);
    const cells = levels.map((level) => coverageCell(mine.find((r) => r.level === level)));
    console.log(`| ${name} | ${cells.join(' | ')} | ${mine[0]?.calibrated ?? 0}/${mine[0]?.n ?? 0} |`);
  }
  console.log('\n| strategy | accuracy, no abstention | abstaining on 10 % | on 25 % |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const { name, points } of evaluation.abstention) {
    const at = (fraction: number) => f3(points.find((p) => p.abstain === fraction)?.accuracy);
    console.log(`| ${name} | ${at(0)} | ${at(0.1)} | ${at(0.25)} |`);
  }
}
