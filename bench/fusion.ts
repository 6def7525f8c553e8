/**
 * @module
 * `npm run bench:fusion`: decision-level fusion on the project's own multimodal evaluation set (eight colours; a
 * picture, a spoken word and a noisy text per item; see `bench/dataset/`), through the real Worker and backend:
 * the Worker (bundled by wrangler, run by Miniflare in workerd, with its task Durable Objects) talks to a real
 * backend process on the default models. Per head (prototype, linear), a task is created and taught the examples
 * half over `POST /v1/tasks/{id}/examples`; `POST /v1/tasks/{id}/refit` fits linear heads, calibration temperatures
 * and the stacking model on 5-fold out-of-fold scores of the examples only; `POST /v1/tasks/{id}/evaluate` scores
 * the held-out half. Prototype heads are also evaluated before the refit (uncalibrated). The last two columns are the
 * held-out half again with one file really broken in every third item, strict against partial fusion
 * (`fusion-corrupted.ts`). After each, the conformal sets' coverage and the accuracy under abstention
 * (`fusion-conformal.ts`). Prints those tables, then the cost of one fused item (3 modalities × 100 labels) per
 * strategy against the 20 µs target (`fusion-cost.ts`). Between them, the cost-aware cascade at a few thresholds against
 * full fusion: accuracy, backend requests and backend CPU saved (`fusion-cascade.ts`, on a refitted prototype task
 * in a second Worker whose embedding cache is off). `--per-label N` makes a smaller set (default 24), for a
 * smoke run.
 */
import { parseArgs } from 'node:util';
import { prepareModels, startBackend, type BackendProcess } from '../scripts/lib/backend-process.ts';
import { buildEvalSet, labels, type EvalItem } from './dataset/build.ts';
import { printCascadeTable } from './fusion-cascade.ts';
import { printConformalTable, type ConformalEvaluation } from './fusion-conformal.ts';
import { corruptedSet, corruptedTallies, type Tally } from './fusion-corrupted.ts';
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

interface Evaluation extends ConformalEvaluation {
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

type Corrupted = ReadonlyMap<string, { strict: Tally; partial: Tally }>;

function printTable(title: string, calibrated: Evaluation, corrupted: Corrupted, raw?: Evaluation): void {
  const best = Math.max(...calibrated.modalities.map((r) => r.macroF1 ?? 0));
  const n = calibrated.strategies[0]?.n ?? 0;
  const accuracy = (t: Tally | undefined) => (t === undefined || n === 0 ? '–' : f3(t.correct / n));
  console.log(`\n${title}`);
  console.log(
    '| decision | accuracy | macro-F1 | log-loss | macro-F1, uncalibrated | vs best single | ' +
      'accuracy, ⅓ with a broken file: strict | … partial |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
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
      accuracy(corrupted.get(r.name)?.strict),
      accuracy(corrupted.get(r.name)?.partial),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(
    `recommended: ${calibrated.recommended} (n = ${calibrated.strategies[0]?.n ?? 0} held-out items)`,
  );
}

/** The corrupted-file columns of a taught task, and a line saying what was broken and what strict answered. */
async function corruptedColumns(
  worker: WorkerStack,
  id: string,
  items: readonly EvalItem[],
  strategies: string[],
) {
  const { cases, kinds } = corruptedSet(
    items.filter((item) => item.split === 'test'),
    inputsOf,
  );
  const tallies = await corruptedTallies(worker, id, cases, strategies);
  const broken = Object.values(kinds).reduce((sum, count) => sum + count, 0);
  const strict = [...tallies.values()][0]?.strict.answered ?? 0;
  const which = Object.entries(kinds)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
  const line = `a broken file in ${broken} of ${cases.length} held-out items (${which}); strict answers ${strict}`;
  return { tallies, line };
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
  const calibrated = await evaluate(worker, id, items);
  const strategies = calibrated.strategies.map((row) => row.name);
  const corrupted = await corruptedColumns(worker, id, items, strategies);
  printTable(
    `Head: ${head} (temperatures fitted out-of-fold: ${temperatures})`,
    calibrated,
    corrupted.tallies,
    raw,
  );
  console.log(corrupted.line);
  printConformalTable(`Head: ${head}`, calibrated);
}

/** The cascade table, on a refitted prototype task in a Worker without embedding cache (`fusion-cascade.ts`). */
async function benchCascade(backend: BackendProcess, items: readonly EvalItem[]): Promise<void> {
  const worker = await startWorker(backend.url, { EMBEDDING_CACHE_TTL_SECONDS: '0' });
  try {
    const task = await teach(worker, 'prototype', items);
    await post(worker, `/v1/tasks/${task}/refit`);
    const cases = items
      .filter((item) => item.split === 'test')
      .map((item) => ({ label: item.label, inputs: inputsOf(item) }));
    await printCascadeTable({ worker, backend, task }, cases);
  } finally {
    await worker.stop();
  }
}

async function main(): Promise<void> {
  await prepareModels(() => undefined);
  const { values } = parseArgs({ options: { 'per-label': { type: 'string' } } });
  const perLabel = values['per-label'] === undefined ? undefined : Number(values['per-label']);
  if (perLabel !== undefined && !(Number.isInteger(perLabel) && perLabel >= 2)) {
    throw new Error('--per-label takes a whole number of items per label, 2 or more');
  }
  const items = await buildEvalSet(perLabel === undefined ? {} : { perLabel });
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
    await benchCascade(backend, items);
  } finally {
    await backend.stop();
  }
  timeFusion();
}

await main();
