/**
 * @module
 * The backend benchmark's target table (issue 31): at each client count, the batched server given tensors (b)
 * against raw onnxruntime at its best layout on the same inputs — the faster of (a), one session over all cores,
 * and (a2), the server's own layout of two single-threaded sessions, each at its best batch size (both use as many
 * intra-op threads in all as the server does). The end-to-end row (e), where the server also tokenises or decodes,
 * is set against the same raw figure to show what that work costs; it is not the target's comparison.
 */
import type { CellResult } from './backend-load.ts';

/** The share of raw onnxruntime's throughput the batched server must reach. */
export const TARGET = 0.9;
/** The models the target applies to (BERT-shaped is shown, outside the target). */
export const TARGET_MODELS: readonly string[] = ['use-lite', 'mobilenet'];

type Lookup = (row: string) => CellResult | undefined;

const items = (cell: CellResult | undefined) => (cell ? cell.throughput.toFixed(1) : '–');

/** Raw onnxruntime's best cell of (a) and (a2), with its layout. */
function rawBest(lookup: Lookup): { cell: CellResult; layout: string } | undefined {
  const options = [
    { cell: lookup('a'), layout: '1 session' },
    { cell: lookup('a2'), layout: '2 processes × 1 thread' },
  ].flatMap(({ cell, layout }) => (cell ? [{ cell, layout: `${layout}, ${cell.note ?? ''}` }] : []));
  return options.sort((x, y) => y.cell.throughput - x.cell.throughput)[0];
}

/** Markdown lines of the target table; `lookup(model, row, clients)` reads a measured cell. */
export function targetTable(
  models: readonly string[],
  clients: readonly number[],
  lookup: (model: string, row: string, clients: number) => CellResult | undefined,
): string[] {
  const lines = [
    '| model | clients | raw onnxruntime, best layout | items/s | (b) server, tensors | (b)/raw | target | (e) server, end to end | (e)/raw |',
    '| --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: |',
  ];
  for (const model of models) {
    for (const count of clients) {
      const row = (name: string) => lookup(model, name, count);
      const raw = rawBest(row);
      const [server, edge] = [row('b'), row('e')];
      if (!raw || !server) continue;
      const share = server.throughput / raw.cell.throughput;
      const verdict = TARGET_MODELS.includes(model)
        ? `≥ ${TARGET}×: ${share >= TARGET ? 'met' : 'not met'}`
        : '(not a target)';
      const edgeShare = edge ? `${(edge.throughput / raw.cell.throughput).toFixed(2)}×` : '–';
      lines.push(
        `| ${model} | ${count} | ${raw.layout} | ${items(raw.cell)} | ${items(server)} | ${share.toFixed(2)}× | ${verdict} | ${items(edge)} | ${edgeShare} |`,
      );
    }
  }
  return lines;
}
