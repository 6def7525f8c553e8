/**
 * @module
 * A `bench:fusion` case on one input's derived parts (`video.frames` + `video.audio`, `image` + `image.text`):
 * a task with a prototype head per part is taught the examples half, refitted (calibration and stacking on
 * out-of-fold scores of the examples) and evaluated on the held-out half; each part alone and each fusion
 * strategy is a row. Then the cost per item, on the first {@link costItems} held-out items sent one at a time
 * through a Worker whose embedding cache is off: a part alone as `POST /v1/embeddings` with its model, fused as
 * `POST /v1/classify`; per item the decode time (where the case can time its decoder: the adapter's own ffmpeg
 * calls, beside the stack), the Worker's `backend` time from `Server-Timing` (summed over its calls, which run side
 * by side), the backend's CPU (`/proc`, its process tree, decoder children included) and the request's wall time.
 */
import { performance } from 'node:perf_hooks';
import type { BackendProcess } from '../scripts/lib/backend-process.ts';
import { treeCpuMs } from './cpu.ts';
import { quantile, serverTiming } from './edge-sample.ts';
import { evaluateAll, f3, post, teachAll, type Example } from './fusion-api.ts';
import type { WorkerStack } from './worker-stack.ts';

const costItems = 12;

export interface Part {
  /** The modality, e.g. `video.frames`. */
  readonly name: string;
  /** Its default model, what `/v1/embeddings` is asked for. */
  readonly model: string;
  /** The decoder's ms for one item's input, where the case can time it. */
  readonly decodeMs?: (input: string) => Promise<number>;
}

export interface PartsCase {
  readonly title: string;
  readonly task: string;
  readonly labels: readonly string[];
  /** The input key the parts read (`video`, `image`). */
  readonly input: string;
  /** The task's `modalities`: every other modality off. */
  readonly modalities: Readonly<Record<string, unknown>>;
  readonly parts: readonly Part[];
  readonly train: readonly Example[];
  readonly test: readonly Example[];
}

interface Cost {
  readonly decodeMs: number | undefined;
  readonly backendMs: number;
  readonly cpuMs: number | undefined;
  readonly wallMs: number;
}

/** One request's Server-Timing `backend`, backend CPU and wall time. */
async function timed(run: { worker: WorkerStack; backend: BackendProcess }, path: string, body: unknown) {
  const cpuBefore = treeCpuMs(run.backend.child.pid);
  const started = performance.now();
  const response = await run.worker.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const wallMs = performance.now() - started;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text.slice(0, 500)}`);
  const cpuAfter = treeCpuMs(run.backend.child.pid);
  return {
    backendMs: serverTiming(response.headers.get('server-timing')).get('backend') ?? 0,
    cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    wallMs,
  };
}

const median = (values: readonly number[]) => quantile(values, 0.5);
const mean = (values: readonly (number | undefined)[]) =>
  values.some((v) => v === undefined)
    ? undefined
    : values.reduce((sum: number, v) => sum + (v ?? 0), 0) / values.length;

/** Medians of the ms, mean of the CPU (whole 10 ms ticks per item: a mean is what they add up to). */
function summarise(samples: readonly Cost[]): Cost {
  const decodes = samples.map((s) => s.decodeMs);
  return {
    decodeMs: decodes.some((d) => d === undefined) ? undefined : median(decodes as number[]),
    backendMs: median(samples.map((s) => s.backendMs)),
    cpuMs: mean(samples.map((s) => s.cpuMs)),
    wallMs: median(samples.map((s) => s.wallMs)),
  };
}

/** Per part alone and fused: the cost per item. */
async function costs(
  run: { worker: WorkerStack; backend: BackendProcess },
  c: PartsCase,
): Promise<Map<string, Cost>> {
  const samples = new Map<string, Cost[]>([
    ...c.parts.map((p) => [p.name, []] as [string, Cost[]]),
    ['fused', []],
  ]);
  for (const { inputs } of c.test.slice(0, costItems)) {
    const input = inputs[c.input] ?? '';
    const decodes: number[] = [];
    for (const part of c.parts) {
      const decodeMs = part.decodeMs === undefined ? undefined : await part.decodeMs(input);
      if (decodeMs !== undefined) decodes.push(decodeMs);
      const cost = await timed(run, '/v1/embeddings', { model: part.model, input: [input] });
      samples.get(part.name)?.push({ ...cost, decodeMs });
    }
    const fused = await timed(run, '/v1/classify', { task: c.task, inputs });
    const decodeMs = decodes.length === c.parts.length ? decodes.reduce((a, b) => a + b, 0) : undefined;
    samples.get('fused')?.push({ ...fused, decodeMs });
  }
  return new Map([...samples].map(([name, list]) => [name, summarise(list)]));
}

const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(0));

/** Teaches, refits and evaluates the case's task, measures its cost per item and prints its table. */
export async function benchParts(
  run: { worker: WorkerStack; backend: BackendProcess },
  c: PartsCase,
): Promise<void> {
  await post(run.worker, '/v1/tasks', { id: c.task, labels: c.labels, modalities: c.modalities });
  await teachAll(run.worker, c.task, c.train);
  await post(run.worker, `/v1/tasks/${c.task}/refit`);
  const evaluation = await evaluateAll(run.worker, c.task, c.test);
  const cost = await costs(run, c);
  const best = Math.max(...evaluation.modalities.map((r) => r.macroF1 ?? 0));
  const n = Math.min(costItems, c.test.length);
  console.log(`\n${c.title}`);
  console.log(
    `(prototype heads, refitted; ${c.train.length} examples, ${c.test.length} held out; cost: median per item ` +
      `over ${n} held-out items one at a time, embedding cache off; backend CPU a mean)`,
  );
  console.log(
    '| decision | accuracy | macro-F1 | log-loss | vs best single | decode ms | backend ms | backend CPU ms | request ms |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const rows = [
    ...evaluation.modalities.map((r) => ({ ...r, label: `${r.name} only`, cost: cost.get(r.name) })),
    ...evaluation.strategies.map((r) => ({ ...r, label: `fusion: ${r.name}`, cost: cost.get('fused') })),
  ];
  for (const r of rows) {
    const delta = (r.macroF1 ?? 0) - best;
    const cells = [
      r.label,
      f3(r.accuracy),
      f3(r.macroF1),
      f3(r.logLoss),
      `${delta >= 0 ? '+' : ''}${f3(delta)}`,
      ms(r.cost?.decodeMs),
      ms(r.cost?.backendMs),
      ms(r.cost?.cpuMs),
      ms(r.cost?.wallMs),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(
    `recommended: ${evaluation.recommended} (n = ${evaluation.strategies[0]?.n ?? 0} held-out items)`,
  );
}
