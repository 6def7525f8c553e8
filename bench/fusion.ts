/**
 * @module
 * `npm run bench:fusion`: decision-level fusion on the project's own multimodal evaluation set (eight colours; a
 * picture, a spoken word and a noisy text per item; see `bench/dataset/`), through the real Worker and backend:
 * the Worker (bundled by wrangler, run by Miniflare in workerd, with its task Durable Objects) talks to a real
 * backend process on the default models. Per head (prototype, linear), a task is created and taught the examples
 * half over `POST /v1/tasks/{id}/examples`; `POST /v1/tasks/{id}/refit` fits linear heads, calibration temperatures
 * and the stacking model on 5-fold out-of-fold scores of the examples only; `POST /v1/tasks/{id}/evaluate` scores
 * the held-out half. Prototype heads are also evaluated before the refit (uncalibrated). Prints those tables, then
 * the cost of one fused item (3 modalities × 100 labels) per strategy against the 20 µs target (`fusion-cost.ts`).
 */
import { prepareModels, startBackend } from '../scripts/lib/backend-process.ts';
import { buildEvalSet, labels, type EvalItem } from './dataset/build.ts';
import { timeFusion } from './fusion-cost.ts';
import { startWorker, type WorkerStack } from './worker-stack.ts';

const heads = ['prototype', 'linear'] as const;
/** Examples per request (the route takes up to 64; audio makes each about 80 KB of JSON). */
const batch = 16;

interface Row {
  readonly name: string;
  readonly accuracy: number | null;
  readonly macroF1: number | null;
  readonly logLoss: number | null;
  readonly n: number;
}

interface Evaluation {
  readonly modalities: Row[];
  readonly strategies: Row[];
  readonly recommended: string;
}

function inputsOf(item: EvalItem) {
  return {
    text: item.text,
    image: `data:image/png;base64,${item.image.toString('base64')}`,
    audio: `data:audio/wav;base64,${item.audio.toString('base64')}`,
  };
}

async function post<T>(worker: WorkerStack, path: string, body?: unknown): Promise<T> {
  const response = await worker.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Creates and teaches the task of one head type; returns how to evaluate it and the refit's temperatures. */
async function teach(worker: WorkerStack, head: string, items: readonly EvalItem[]): Promise<string> {
  const id = `bench-${head}`;
  const modalities = { text: { head }, image: { head }, audio: { head }, html: false };
  await post(worker, '/v1/tasks', { id, labels, modalities });
  const train = items.filter((item) => item.split === 'train');
  for (let start = 0; start < train.length; start += batch) {
    const examples = train
      .slice(start, start + batch)
      .map((item) => ({ label: item.label, inputs: inputsOf(item) }));
    await post(worker, `/v1/tasks/${id}/examples`, { examples });
  }
  return id;
}

function evaluate(worker: WorkerStack, id: string, items: readonly EvalItem[]): Promise<Evaluation> {
  const examples = items
    .filter((item) => item.split === 'test')
    .map((item) => ({ label: item.label, inputs: inputsOf(item) }));
  return post<Evaluation>(worker, `/v1/tasks/${id}/evaluate`, { examples });
}

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(3));

function printTable(title: string, calibrated: Evaluation, raw?: Evaluation): void {
  const best = Math.max(...calibrated.modalities.map((r) => r.macroF1 ?? 0));
  console.log(`\n${title}`);
  console.log('| decision | accuracy | macro-F1 | log-loss | macro-F1, uncalibrated | vs best single |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const rows = [
    ...calibrated.modalities.map((r) => ({ ...r, label: `${r.name} only`, group: 'modalities' as const })),
    ...calibrated.strategies.map((r) => ({ ...r, label: `fusion: ${r.name}`, group: 'strategies' as const })),
  ];
  for (const r of rows) {
    const before = raw?.[r.group].find((x) => x.name === r.name)?.macroF1;
    const delta = (r.macroF1 ?? 0) - best;
    const cells = [
      r.label,
      f3(r.accuracy),
      f3(r.macroF1),
      f3(r.logLoss),
      f3(before),
      `${delta >= 0 ? '+' : ''}${f3(delta)}`,
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(
    `recommended: ${calibrated.recommended} (n = ${calibrated.strategies[0]?.n ?? 0} held-out items)`,
  );
}

async function benchHead(worker: WorkerStack, head: string, items: readonly EvalItem[]): Promise<void> {
  const id = await teach(worker, head, items);
  // A prototype head scores before any refit: that is the uncalibrated column. A linear head needs the refit.
  const raw = head === 'prototype' ? await evaluate(worker, id, items) : undefined;
  const { report } = await post<{ report: { temperatures: Record<string, number> } }>(
    worker,
    `/v1/tasks/${id}/refit`,
  );
  const temperatures = Object.entries(report.temperatures)
    .map(([m, v]) => `${m} ${v.toFixed(2)}`)
    .join(', ');
  printTable(
    `Head: ${head} (temperatures fitted out-of-fold: ${temperatures})`,
    await evaluate(worker, id, items),
    raw,
  );
}

async function main(): Promise<void> {
  await prepareModels(() => undefined);
  // BENCH_PER_LABEL: a smaller set for a quick check that the bench runs end to end (default 24).
  const items = await buildEvalSet({ perLabel: Number(process.env.BENCH_PER_LABEL ?? 24) });
  console.log(
    `evaluation set: ${items.length} items, ${labels.length} labels (${labels.join(', ')}), half held out`,
  );
  const backend = await startBackend({ env: { MODALFUSE_EXECUTION_PROVIDER: 'cpu' } });
  try {
    const worker = await startWorker(backend.url);
    try {
      for (const head of heads) await benchHead(worker, head, items);
    } finally {
      await worker.stop();
    }
  } finally {
    await backend.stop();
  }
  timeFusion();
}

await main();
