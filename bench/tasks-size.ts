/**
 * @module
 * One row of `bench:tasks`: a text task of `labels` labels taught `examples` examples on the hashed-words text
 * model (cheap to embed, so the rows measure the edge, not the backend), refitted, then classified one short text
 * at a time. What each row reports, and how it is measured (see `tasks.ts` for the table).
 */
import { performance } from 'node:perf_hooks';
import type { WorkerStack } from './worker-stack.ts';

export interface Size {
  readonly labels: number;
  readonly examples: number;
  /** Classify requests timed per setting. */
  readonly classifies: number;
}

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
}

export interface SizeRow extends Size {
  /** The edge's own time (Server-Timing total − backend), ms, with `top_k: 5`. */
  readonly edge: Percentiles;
  /** The whole request as the client sees it (Miniflare dispatch included), ms, with `top_k: 5`. */
  readonly whole: Percentiles;
  /** The edge's own time of the first classify after a change (the heads built again), ms. */
  readonly firstAfterChange: number;
  /** Answer bytes: `top_k: 5`, the default (all up to 100 labels, else 10), and every label. */
  readonly bytes: { readonly top5: number; readonly byDefault: number; readonly all: number };
  readonly teachPerSecond: number;
  readonly refitSeconds: number;
  /** The task's heads JSON plus its stored example rows (base64 float32), characters ≈ bytes. */
  readonly storedBytes: number;
}

const model = 'text-hash-256';
/** One stored example of the 256-dimensional model: 1,024 bytes as base64. */
const exampleChars = 4 * Math.ceil((256 * 4) / 3);
const perRequest = 64;
const teachers = 4;

const textOf = (label: number, variant: number) =>
  `item${label} family${label % 97} shade${label % 13} sample ${variant} word${(label * 31 + variant) % 1009}`;

async function send(worker: WorkerStack, method: string, path: string, body?: unknown): Promise<Response> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await worker.fetch(path, init);
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

async function teach(worker: WorkerStack, id: string, size: Size): Promise<number> {
  const all = Array.from({ length: size.examples }, (_, n) => ({
    label: `label-${n % size.labels}`,
    inputs: { text: textOf(n % size.labels, Math.floor(n / size.labels)) },
  }));
  const batches = Array.from({ length: Math.ceil(all.length / perRequest) }, (_, b) =>
    all.slice(b * perRequest, (b + 1) * perRequest),
  );
  const start = performance.now();
  const loop = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift())
      await (await send(worker, 'POST', `/v1/tasks/${id}/examples`, { examples: batch })).arrayBuffer();
  };
  await Promise.all(Array.from({ length: teachers }, loop));
  return size.examples / ((performance.now() - start) / 1000);
}

/** The metrics of a `Server-Timing` header, ms by name. */
function timings(header: string | null): Record<string, number> {
  const found: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const name = part.split(';')[0]?.trim();
    const dur = /dur=([\d.]+)/.exec(part)?.[1];
    if (name && dur !== undefined) found[name] = Number(dur);
  }
  return found;
}

interface Timed {
  readonly edge: number;
  readonly whole: number;
  readonly bytes: number;
}

async function classifyOnce(worker: WorkerStack, id: string, text: string, topK?: number): Promise<Timed> {
  const body = { task: id, inputs: { text }, ...(topK === undefined ? {} : { top_k: topK }) };
  const start = performance.now();
  const response = await send(worker, 'POST', '/v1/classify', body);
  const bytes = (await response.arrayBuffer()).byteLength;
  const whole = performance.now() - start;
  const metric = timings(response.headers.get('server-timing'));
  return { edge: (metric.total ?? 0) - (metric.backend ?? 0), whole, bytes };
}

function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

async function storedBytes(worker: WorkerStack, id: string): Promise<number> {
  const view = await (await send(worker, 'GET', `/v1/tasks/${id}`)).text();
  const stored = (JSON.parse(view) as { modalities: { text: { storedExamples: number } } }).modalities.text;
  return view.length + stored.storedExamples * exampleChars;
}

export async function measureSize(worker: WorkerStack, size: Size): Promise<SizeRow> {
  const id = `scale-${size.labels}-${size.examples}`;
  const labels = Array.from({ length: size.labels }, (_, i) => `label-${i}`);
  const modalities = { text: { model }, image: false, audio: false, html: false };
  await send(worker, 'POST', '/v1/tasks', { id, labels, modalities });
  const teachPerSecond = await teach(worker, id, size);
  const refitStart = performance.now();
  await (await send(worker, 'POST', `/v1/tasks/${id}/refit`)).arrayBuffer();
  const refitSeconds = (performance.now() - refitStart) / 1000;
  const query = (i: number) => textOf(i % size.labels, 1_000 + i);
  const first = await classifyOnce(worker, id, query(0), 5);
  const timed: Timed[] = [];
  for (let i = 0; i < size.classifies; i++) timed.push(await classifyOnce(worker, id, query(i), 5));
  const byDefault = await classifyOnce(worker, id, query(1));
  const all = await classifyOnce(worker, id, query(1), size.labels);
  return {
    ...size,
    edge: percentiles(timed.map((t) => t.edge)),
    whole: percentiles(timed.map((t) => t.whole)),
    firstAfterChange: first.edge,
    bytes: { top5: first.bytes, byDefault: byDefault.bytes, all: all.bytes },
    teachPerSecond,
    refitSeconds,
    storedBytes: await storedBytes(worker, id),
  };
}
