/**
 * @module
 * The GPU check's one table: per model, its parity against CPU (the lowest cosine over its outputs) and, for the
 * models measured, backend throughput and p50 at each client count on the provider under test and on CPU. A
 * provider that did not start is "not available" in every cell it would have filled: never a number from CPU.
 */
import type { CellResult } from '../backend-load.ts';
import type { ParityRow } from './parity.ts';

export const NOT_AVAILABLE = 'not available';

/** One backend's run: a cell per `model|clients`, or why it has none. */
export type ProviderRun =
  | {
      readonly ok: true;
      readonly cells: ReadonlyMap<string, CellResult>;
      readonly fellBack: ReadonlySet<string>;
    }
  | { readonly ok: false; readonly reason: string };

export interface CheckResult {
  readonly provider: string;
  /** What parity.ts wrote, or why there is nothing (it exited 2, crashed). */
  readonly parity: { readonly started: boolean; readonly rows: readonly ParityRow[]; readonly note?: string };
  readonly measured: readonly string[];
  readonly models: readonly string[];
  readonly clients: readonly number[];
  readonly candidate: ProviderRun;
  readonly cpu: ProviderRun;
}

export const cellKey = (model: string, clients: number) => `${model}|${clients}`;

function parityCell(result: CheckResult, model: string): string {
  if (!result.parity.started) return NOT_AVAILABLE;
  const rows = result.parity.rows.filter((row) => row.model === model);
  if (rows.length === 0) return '—';
  const lowest = Math.min(...rows.map((row) => (Number.isFinite(row.cosine) ? row.cosine : -Infinity)));
  const bad = rows.filter((row) => !row.ok).length;
  const where = rows.some((row) => row.provider !== result.provider) ? ' (fell back to cpu)' : '';
  return `${lowest.toFixed(6)}${bad > 0 ? ` NO (${bad} of ${rows.length} miss)` : ''}${where}`;
}

function runCells(run: ProviderRun, model: string, clients: number): [string, string, CellResult?] {
  if (!run.ok) return [NOT_AVAILABLE, NOT_AVAILABLE];
  if (run.fellBack.has(model)) return [`${NOT_AVAILABLE} (model on cpu)`, NOT_AVAILABLE];
  const cell = run.cells.get(cellKey(model, clients));
  if (!cell) return ['—', '—'];
  const errors = cell.errors > 0 ? ` (${cell.errors} errors)` : '';
  const p50 = Number.isFinite(cell.p50) ? cell.p50.toFixed(1) : '—';
  return [`${cell.throughput.toFixed(1)}${errors}`, p50, cell];
}

export function checkTable(result: CheckResult): string {
  const p = result.provider;
  const lines = [
    `| model | parity ${p} vs cpu: min cosine | clients | ${p} items/s | ${p} p50 ms | cpu items/s | cpu p50 ms | ${p} / cpu |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const model of result.models) {
    const counts = result.measured.includes(model) ? result.clients : [undefined];
    for (const clients of counts) {
      const [a, b, cell] = clients === undefined ? ['—', '—'] : runCells(result.candidate, model, clients);
      const [c, d, base] = clients === undefined ? ['—', '—'] : runCells(result.cpu, model, clients);
      const ratio =
        cell && base && base.throughput > 0 ? `${(cell.throughput / base.throughput).toFixed(2)}×` : '—';
      const cells = [model, parityCell(result, model), clients ?? '—', a, b, c, d, cell ? ratio : '—'];
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}
