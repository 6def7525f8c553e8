/**
 * @module
 * The rows of `bench:tasks`: per size, a text task of `labels` labels taught `examples` examples on the hashed-words
 * text model (cheap to embed, so the rows measure the edge, not the backend) and refitted; then all the tasks
 * classified one short text at a time, in turn. What each row reports, and how it is measured (see `tasks.ts` for
 * the table).
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
  /** Unlike the percentiles, not stuck to whole ms when the values are (workerd's clock is). */
  readonly mean: number;
}

export interface SizeRow extends Size {
  /** The edge's own time (Server-Timing total − backend), ms, with `top_k: 5`. */
  readonly edge: Percentiles;
  /**
   * workerd's CPU ms per classify with `top_k: 5` (the Worker, the task's object, Miniflare's entry), NaN where
   * `/proc` cannot tell: not rounded to whole ms as workerd's clock is, which also stands still while code runs.
   */
  readonly edgeCpuMs: number;
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
  const mean = values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  return { p50: at(0.5), p99: at(0.99), mean };
}

async function storedBytes(worker: WorkerStack, id: string): Promise<number> {
  const view = await (await send(worker, 'GET', `/v1/tasks/${id}`)).text();
  const stored = (JSON.parse(view) as { modalities: { text: { storedExamples: number } } }).modalities.text;
  return view.length + stored.storedExamples * exampleChars;
}

/** A task of one size, built and taught, with what building it measured. */
interface Built {
  readonly size: Size;
  readonly id: string;
  readonly teachPerSecond: number;
  readonly refitSeconds: number;
  readonly first: Timed;
}

async function build(worker: WorkerStack, size: Size): Promise<Built> {
  const id = `scale-${size.labels}-${size.examples}`;
  const labels = Array.from({ length: size.labels }, (_, i) => `label-${i}`);
  const modalities = { text: { model }, image: false, audio: false, html: false };
  await send(worker, 'POST', '/v1/tasks', { id, labels, modalities });
  const teachPerSecond = await teach(worker, id, size);
  const refitStart = performance.now();
  await (await send(worker, 'POST', `/v1/tasks/${id}/refit`)).arrayBuffer();
  const refitSeconds = (performance.now() - refitStart) / 1000;
  const first = await classifyOnce(worker, id, queryOf(size, 0), 5);
  return { size, id, teachPerSecond, refitSeconds, first };
}

/** Texts no other size classifies (nor teaches): a text classified before would be an embedding-cache hit. */
const queryOf = (size: Size, i: number) => textOf(i % size.labels, 1_000 + size.labels * 10_000 + i);

/** Classifies timed per size, and workerd's CPU ns spent on them. */
interface Tally {
  readonly timed: Timed[];
  cpuNs: number;
}

/** Requests per size in a row, between two reads of workerd's CPU time. */
const block = 20;

/**
 * Classifies every task in turn, `block` requests each, round after round, so that every size meets the Worker in
 * the same state (its JIT and heap warmed by all of them): timed one size after the other, the later sizes came
 * out cheaper than the first whatever their size. A round of untimed requests comes first.
 */
async function timeClassifies(worker: WorkerStack, built: readonly Built[]): Promise<Tally[]> {
  const tallies = built.map(() => ({ timed: [] as Timed[], cpuNs: 0 }));
  const rounds = Math.ceil(Math.max(...built.map((b) => b.size.classifies)) / block);
  for (let round = -1; round < rounds; round++) {
    for (const [k, { size, id }] of built.entries()) {
      const tally = tallies[k];
      if (tally === undefined || tally.timed.length >= size.classifies) continue;
      const before = worker.cpuNs();
      const times: Timed[] = [];
      for (let i = 0; i < block; i++)
        times.push(await classifyOnce(worker, id, queryOf(size, (round + 1) * block + i), 5));
      const after = worker.cpuNs();
      if (round < 0) continue;
      tally.timed.push(...times);
      tally.cpuNs += before === undefined || after === undefined ? NaN : after - before;
    }
  }
  return tallies;
}

async function rowOf(worker: WorkerStack, built: Built, tally: Tally): Promise<SizeRow> {
  const { size, id, first } = built;
  const byDefault = await classifyOnce(worker, id, queryOf(size, 1));
  const all = await classifyOnce(worker, id, queryOf(size, 1), size.labels);
  return {
    ...size,
    edge: percentiles(tally.timed.map((t) => t.edge)),
    edgeCpuMs: tally.cpuNs / 1e6 / tally.timed.length,
    whole: percentiles(tally.timed.map((t) => t.whole)),
    firstAfterChange: first.edge,
    bytes: { top5: first.bytes, byDefault: byDefault.bytes, all: all.bytes },
    teachPerSecond: built.teachPerSecond,
    refitSeconds: built.refitSeconds,
    storedBytes: await storedBytes(worker, id),
  };
}

/** Every size built one after the other, then their classifies timed in turn; one row per size. */
export async function measureSizes(
  worker: WorkerStack,
  sizes: readonly Size[],
  progress: (line: string) => void,
): Promise<SizeRow[]> {
  const built: Built[] = [];
  for (const size of sizes) {
    built.push(await build(worker, size));
    progress(`built ${size.labels} labels × ${size.examples} examples`);
  }
  const tallies = await timeClassifies(worker, built);
  progress('classifies timed');
  const rows: SizeRow[] = [];
  for (const [k, one] of built.entries()) {
    const tally = tallies[k];
    if (tally !== undefined) rows.push(await rowOf(worker, one, tally));
  }
  return rows;
}
