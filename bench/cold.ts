/**
 * @module
 * `npm run bench:cold`: what the first requests after a start cost, with each warm-up mode (`MODALFUSE_WARMUP`:
 * `off`, `onnx` = the sessions only, `full` = the recipes' raw samples through the adapters too; docs/warmup.md).
 * Per mode, from fresh processes: the backend is started (`npm run backend`, CPU) and timed until it is ready (its
 * listening line, printed once every model is warm; `/v2/health/ready` checked), then the edge Worker (bundled by
 * wrangler, run by Miniflare in workerd, its embedding cache off so that no request is a hit) and its first
 * `/readyz`. Then, one request at a time through the edge (`/v1/embeddings`): a text, a photo (JPEG 620×465) and a
 * spoken word (WAV) — each modality's first request, its second, then `--steady N` (default 20) more of each in
 * turn, whose p50 is the steady latency. The target is the first request ≤ 2× the steady p50.
 * `npm run bench:cold -- --modes full --steady 5` is a smoke run.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { newBackendToken, prepareModels, repoRoot, startBackend } from '../scripts/lib/backend-process.ts';
import type { EdgeBackend } from '../scripts/lib/edge-backend.ts';
import { backendHeaders } from '../src/backend/http.ts';
import { WARMUP_MODES, type WarmupMode } from '../gpu-backend/runtime/warmup.ts';
import { quantile } from './edge-sample.ts';
import { startWorker, type WorkerStack } from './worker-stack.ts';

const TARGET = 2;

interface Request {
  readonly modality: string;
  readonly model: string;
  readonly input: string;
}

interface ModalityTimes {
  readonly first: number;
  readonly second: number;
  readonly steady: number;
}

/** Where the requests go: through the edge, or straight to the backend (what the backend's warm-up alone buys). */
type Path = 'edge' | 'backend';

interface ModeResult {
  readonly mode: WarmupMode;
  readonly path: Path;
  readonly backendReadyMs: number;
  readonly edgeFirstMs: number;
  readonly times: ReadonlyMap<string, ModalityTimes>;
}

async function requests(): Promise<Request[]> {
  const cat = join(dirname(createRequire(import.meta.url).resolve('ij-test/package.json')), 'img', 'cat.jpg');
  const dataUrl = async (type: string, path: string) =>
    `data:${type};base64,${(await readFile(path)).toString('base64')}`;
  return [
    { modality: 'text', model: 'use-lite', input: 'is it going to rain in the mountains this weekend?' },
    { modality: 'image', model: 'mobilenetv2-int8', input: await dataUrl('image/jpeg', cat) },
    {
      modality: 'audio',
      model: 'speech-embedding',
      input: await dataUrl('audio/wav', join(repoRoot, 'adapters/audio/fixtures/hello.wav')),
    },
  ];
}

/** Sends one request and resolves with its latency in ms. */
type Send = (request: Request) => Promise<number>;

async function timedFetch(what: string, call: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const response = await call();
  const text = await response.text();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`${what}: ${response.status} ${text.slice(0, 300)}`);
  return elapsed;
}

/** Through the edge: `/v1/embeddings`, as clients call it. */
const viaEdge =
  (worker: WorkerStack): Send =>
  (request) =>
    timedFetch(request.modality, () =>
      worker.fetch('/v1/embeddings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: request.model, input: request.input }),
      }),
    );

/** To the backend itself: its KServe infer with the raw item, what the edge sends less the edge. */
const direct =
  (backend: EdgeBackend): Send =>
  (request) => {
    const data = request.input.startsWith('data:')
      ? request.input.slice(request.input.indexOf(',') + 1)
      : null;
    const raw = {
      name: 'raw',
      datatype: 'BYTES',
      shape: [1],
      ...(data === null
        ? { data: [request.input] }
        : { data: [data], parameters: { content_type: 'base64' } }),
    };
    return timedFetch(request.modality, () =>
      fetch(`${backend.url}/v2/models/${request.model}/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...backendHeaders(backend) },
        body: JSON.stringify({ inputs: [raw], outputs: [{ name: 'embedding' }] }),
      }),
    );
  };

async function measure(send: Send, all: readonly Request[], steady: number) {
  const first = new Map<string, number>();
  const second = new Map<string, number>();
  const rest = new Map<string, number[]>(all.map((request) => [request.modality, []]));
  for (const request of all) first.set(request.modality, await send(request));
  for (const request of all) second.set(request.modality, await send(request));
  for (let i = 0; i < steady; i++) {
    for (const request of all) rest.get(request.modality)?.push(await send(request));
  }
  return new Map(
    all.map(({ modality }) => [
      modality,
      {
        first: first.get(modality) ?? NaN,
        second: second.get(modality) ?? NaN,
        steady: quantile(rest.get(modality) ?? [], 0.5),
      },
    ]),
  );
}

/** A fresh backend in `mode`, timed until ready, then the requests through the edge or straight to it. */
async function runMode(
  mode: WarmupMode,
  path: Path,
  all: readonly Request[],
  steady: number,
): Promise<ModeResult> {
  const started = performance.now();
  const backend = await startBackend({
    env: {
      MODALFUSE_EXECUTION_PROVIDER: 'cpu',
      MODALFUSE_WARMUP: mode,
      MODALFUSE_BACKEND_TOKEN: newBackendToken(),
    },
  });
  try {
    const backendReadyMs = performance.now() - started;
    const ready = await fetch(`${backend.url}/v2/health/ready`);
    if (ready.status !== 200)
      throw new Error(`backend printed its listening line but answers ready ${ready.status}`);
    if (path === 'backend') {
      return {
        mode,
        path,
        backendReadyMs,
        edgeFirstMs: NaN,
        times: await measure(direct(backend), all, steady),
      };
    }
    const worker = await startWorker(backend, { EMBEDDING_CACHE_TTL_SECONDS: '0' });
    try {
      const edgeFirstMs = await timedFetch('/readyz', () => worker.fetch('/readyz'));
      return { mode, path, backendReadyMs, edgeFirstMs, times: await measure(viaEdge(worker), all, steady) };
    } finally {
      await worker.stop();
    }
  } finally {
    await backend.stop();
  }
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');

function print(results: readonly ModeResult[], steady: number): void {
  console.log(
    `bench:cold — fresh backend (CPU) and edge per warm-up mode; one request at a time; steady = p50 of ${steady}`,
  );
  console.log(
    '\n| warm-up | path | backend ready s | edge first /readyz ms | modality | first ms | second ms | steady p50 ms | first/steady | target | met |',
  );
  console.log('| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const result of results) {
    for (const [modality, times] of result.times) {
      const cells = [
        result.mode,
        result.path,
        (result.backendReadyMs / 1000).toFixed(2),
        ms(result.edgeFirstMs),
        modality,
        ms(times.first),
        ms(times.second),
        ms(times.steady),
        `${(times.first / times.steady).toFixed(2)}×`,
        `≤ ${TARGET}×`,
        times.first <= TARGET * times.steady ? 'yes' : 'no',
      ];
      console.log(`| ${cells.join(' | ')} |`);
    }
  }
  console.log('\nTargets (issue 31: the first request of each modality ≤ 2× its steady p50)');
  for (const result of results) {
    for (const [modality, { first, steady }] of result.times) {
      const measured = first / steady;
      const met = measured <= TARGET ? 'met' : 'not met';
      console.log(
        `target: ${result.mode}, ${result.path}, ${modality}: first ≤ ${TARGET}× steady — measured ${measured.toFixed(2)}×: ${met}`,
      );
    }
  }
}

function options(): { modes: WarmupMode[]; steady: number } {
  const { values } = parseArgs({
    options: {
      modes: { type: 'string', default: WARMUP_MODES.join(',') },
      steady: { type: 'string', default: '20' },
    },
  });
  const modes = values.modes.split(',').map((mode) => mode.trim());
  const unknown = modes.find((mode) => !(WARMUP_MODES as readonly string[]).includes(mode));
  if (unknown !== undefined) throw new Error(`--modes takes ${WARMUP_MODES.join(', ')}; got "${unknown}"`);
  const steady = Number(values.steady);
  if (!Number.isInteger(steady) || steady < 1) throw new Error('--steady takes a whole number ≥ 1');
  return { modes: modes as WarmupMode[], steady };
}

async function main(): Promise<void> {
  const { modes, steady } = options();
  await prepareModels(() => undefined);
  const all = await requests();
  const results: ModeResult[] = [];
  for (const mode of modes) {
    for (const path of ['edge', 'backend'] as const) results.push(await runMode(mode, path, all, steady));
  }
  print(results, steady);
}

await main();
