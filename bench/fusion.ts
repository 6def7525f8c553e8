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
 * in a second Worker whose embedding cache is off). Then, in that Worker, the derived parts (`fusion-parts.ts`):
 * seeded videos as `video.frames` + `video.audio` (`fusion-video.ts`), captioned pictures as `image` + `image.text`
 * (`fusion-captions.ts`), each alone and fused with its cost per item, and OCR's character error rate per font and
 * size (`ocr-cer.ts`). `--per-label N` makes a smaller colour set (default 24), for a smoke run;
 * `--video-per-label N` the video set (default 8); `--cases` picks cases (default `colours,video,captions,ocr`).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  newBackendToken,
  prepareModels,
  startBackend,
  type BackendProcess,
} from '../scripts/lib/backend-process.ts';
import { buildEvalSet, labels, type EvalItem } from './dataset/build.ts';
import { printCascadeTable } from './fusion-cascade.ts';
import { printConformalTable, type ConformalEvaluation } from './fusion-conformal.ts';
import { corruptedSet, corruptedTallies, type Tally } from './fusion-corrupted.ts';
import { evaluateAll, f3, post, teachAll, type EvaluationRows } from './fusion-api.ts';
import { captionsCase } from './fusion-captions.ts';
import { timeFusion } from './fusion-cost.ts';
import { benchParts } from './fusion-parts.ts';
import { videoCase } from './fusion-video.ts';
import { printOcrTable } from './ocr-cer.ts';
import { startWorker, type WorkerStack } from './worker-stack.ts';

const heads = ['prototype', 'linear'] as const;

interface Evaluation extends ConformalEvaluation, EvaluationRows {}

function inputsOf(item: EvalItem) {
  return {
    text: item.text,
    image: `data:image/png;base64,${item.image.toString('base64')}`,
    audio: `data:audio/wav;base64,${item.audio.toString('base64')}`,
  };
}

/** Creates and teaches the task of one head type; returns how to evaluate it and the refit's temperatures. */
async function teach(worker: WorkerStack, head: string, items: readonly EvalItem[]): Promise<string> {
  const id = `bench-${head}`;
  const modalities = { text: { head }, image: { head }, audio: { head }, html: false };
  await post(worker, '/v1/tasks', { id, labels, modalities });
  const train = items.filter((item) => item.split === 'train');
  await teachAll(
    worker,
    id,
    train.map((item) => ({ label: item.label, inputs: inputsOf(item) })),
  );
  return id;
}

function evaluate(worker: WorkerStack, id: string, items: readonly EvalItem[]): Promise<Evaluation> {
  const examples = items
    .filter((item) => item.split === 'test')
    .map((item) => ({ label: item.label, inputs: inputsOf(item) }));
  return evaluateAll<Evaluation>(worker, id, examples);
}

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

/** The cascade table, on a refitted prototype task in the Worker without embedding cache (`fusion-cascade.ts`). */
async function benchCascade(
  run: { worker: WorkerStack; backend: BackendProcess },
  items: readonly EvalItem[],
): Promise<void> {
  const task = await teach(run.worker, 'prototype', items);
  await post(run.worker, `/v1/tasks/${task}/refit`);
  const cases = items
    .filter((item) => item.split === 'test')
    .map((item) => ({ label: item.label, inputs: inputsOf(item) }));
  await printCascadeTable({ ...run, task }, cases);
}

const allCases = ['colours', 'video', 'captions', 'ocr'] as const;
type Case = (typeof allCases)[number];

function parseOptions() {
  const { values } = parseArgs({
    options: {
      'per-label': { type: 'string' },
      'video-per-label': { type: 'string' },
      cases: { type: 'string', default: allCases.join(',') },
    },
  });
  const count = (flag: string, value: string | undefined, fallback: number) => {
    const n = value === undefined ? fallback : Number(value);
    if (!(Number.isInteger(n) && n >= 2))
      throw new Error(`${flag} takes a whole number of items per label, 2 or more`);
    return n;
  };
  const cases = values.cases.split(',').map((name) => name.trim());
  const unknown = cases.find((name) => !(allCases as readonly string[]).includes(name));
  if (unknown !== undefined)
    throw new Error(`--cases: unknown case "${unknown}" (cases: ${allCases.join(', ')})`);
  return {
    perLabel: count('--per-label', values['per-label'], 24),
    videoPerLabel: count('--video-per-label', values['video-per-label'], 8),
    cases: new Set(cases as Case[]),
  };
}

/** The colour set's tables: both heads with the caching Worker, then the cascade without cache. */
async function benchColours(backend: BackendProcess, uncached: WorkerStack, perLabel: number): Promise<void> {
  const items = await buildEvalSet({ perLabel });
  console.log(
    `evaluation set: ${items.length} items, ${labels.length} labels (${labels.join(', ')}), half held out`,
  );
  const worker = await startWorker(backend);
  try {
    for (const head of heads) await benchHead(worker, head, items);
  } finally {
    await worker.stop();
  }
  await benchCascade({ worker: uncached, backend }, items);
}

async function main(): Promise<void> {
  await prepareModels(() => undefined);
  const options = parseOptions();
  const backend = await startBackend({
    env: { MODALFUSE_EXECUTION_PROVIDER: 'cpu', MODALFUSE_BACKEND_TOKEN: newBackendToken() },
  });
  try {
    // Cost per item needs every row to pay the backend for what it sends: no embedding cache.
    const uncached = await startWorker(backend, { EMBEDDING_CACHE_TTL_SECONDS: '0' });
    const run = { worker: uncached, backend };
    try {
      const cases: Record<Case, () => Promise<void>> = {
        colours: () => benchColours(backend, uncached, options.perLabel),
        video: async () => benchParts(run, await videoCase(options.videoPerLabel)),
        captions: async () => benchParts(run, await captionsCase()),
        ocr: () => printOcrTable(uncached),
      };
      for (const name of allCases.filter((c) => options.cases.has(c))) {
        const started = performance.now();
        await cases[name]();
        console.log(`(case ${name}: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
    } finally {
      await uncached.stop();
    }
  } finally {
    await backend.stop();
  }
  if (options.cases.has('colours')) timeFusion();
}

await main();
