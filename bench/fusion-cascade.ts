/**
 * @module
 * The cascade columns of `bench:fusion`: the held-out items classified through `POST /v1/classify` (in batches,
 * as `fusion-corrupted.ts` sends them) with full fusion, then with a cascade by cost — text, image, audio — at a
 * few `stop_at` thresholds. Per row: the accuracy, the inputs sent to the backend and its inference requests (its
 * `/metrics`), and the backend's CPU time (`/proc`), each also as the share saved against full fusion. The Worker
 * runs with its embedding cache off (`EMBEDDING_CACHE_TTL_SECONDS=0`), so that every row pays the backend for what
 * it sends.
 */
import type { BackendProcess } from '../scripts/lib/backend-process.ts';
import { treeCpuMs } from './cpu.ts';
import { classifyAll } from './fusion-corrupted.ts';
import type { WorkerStack } from './worker-stack.ts';

const order = ['text', 'image', 'audio'];
const thresholds = [0.4, 0.6, 0.8, 0.9, 0.95];

export interface CascadeCase {
  readonly label: string;
  readonly inputs: Readonly<Record<string, string>>;
}

interface Answer {
  readonly label?: string;
  readonly missing?: readonly { readonly reason: string }[];
}

interface Cost {
  readonly correct: number;
  /** Inputs the Worker sent to the backend. */
  readonly sent: number;
  /** The backend's successful inference requests (`nv_inference_request_success`, every model). */
  readonly requests: number;
  readonly cpuMs: number | undefined;
}

async function backendRequests(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('nv_inference_request_success{'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

async function costOf(
  run: { worker: WorkerStack; backend: BackendProcess; task: string },
  cases: readonly CascadeCase[],
  fusion: object,
): Promise<Cost> {
  const requestsBefore = await backendRequests(run.backend.url);
  const cpuBefore = treeCpuMs(run.backend.child.pid);
  const answers = await classifyAll<Answer>(run.worker, run.task, cases, { fusion });
  const cpuAfter = treeCpuMs(run.backend.child.pid);
  const given = (i: number) => Object.keys(cases[i]?.inputs ?? {}).length;
  const stopped = (answer: Answer) =>
    answer.missing?.filter((m) => m.reason === 'cascade-stopped').length ?? 0;
  return {
    correct: answers.filter((answer, i) => answer.label === cases[i]?.label).length,
    sent: answers.reduce((sum, answer, i) => sum + given(i) - stopped(answer), 0),
    requests: (await backendRequests(run.backend.url)) - requestsBefore,
    cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
  };
}

const saved = (value: number | undefined, full: number | undefined) =>
  value === undefined || full === undefined || full === 0
    ? '–'
    : `${(100 * (1 - value / full)).toFixed(0)} %`;

/** Prints the cascade table of a taught task (see the module's notes). */
export async function printCascadeTable(
  run: { worker: WorkerStack; backend: BackendProcess; task: string },
  cases: readonly CascadeCase[],
): Promise<void> {
  const full = await costOf(run, cases, {});
  const rows: [string, Cost][] = [['full fusion', full]];
  for (const stopAt of thresholds)
    rows.push([
      `cascade, stop_at ${stopAt}`,
      await costOf(run, cases, { cascade: { order, stop_at: stopAt } }),
    ]);
  console.log(
    `\nCascade by cost (${order.join(' → ')}), ${cases.length} held-out items, embedding cache off`,
  );
  console.log(
    '| fusion | accuracy | inputs sent | saved | backend requests | saved | backend CPU ms | saved |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, cost] of rows) {
    const cells = [
      name,
      (cost.correct / cases.length).toFixed(3),
      String(cost.sent),
      saved(cost.sent, full.sent),
      String(cost.requests),
      saved(cost.requests, full.requests),
      cost.cpuMs === undefined ? '–' : cost.cpuMs.toFixed(0),
      saved(cost.cpuMs, full.cpuMs),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}
