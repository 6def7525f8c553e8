/**
 * @module
 * `bench:edge`'s ladders: one case step by step, five Workers in one run — the bare proxy, the floor
 * (`edge-workers.ts`: what any Worker serving the route must do), the floor making the Cache API calls the embedding
 * cache made per input before it looked up once per request (a match and a put each), ModalFuse with its embedding
 * cache off, and ModalFuse as deployed — each step's p50 and workerd CPU per request against the proxy and against
 * the step before. Run for the one-text miss and for classify (text + image + audio). Which Worker goes first
 * rotates; every input is new (numbers from `firstNumber` on, each used once), so every ModalFuse call is a miss.
 */
import type { Call, EdgeCase } from './edge-cases.ts';
import { latency, meanCpu, ms, ratio, sample, type Counts, type Sample } from './edge-sample.ts';
import type { EdgeStack, WorkerName } from './edge-stack.ts';

const steps: readonly { readonly worker: WorkerName; readonly what: string }[] = [
  { worker: 'proxy', what: 'bare proxy' },
  { worker: 'floor', what: 'floor' },
  { worker: 'floor-cached', what: 'floor + a Cache API match and put per input' },
  { worker: 'uncached', what: 'ModalFuse, embedding cache off' },
  { worker: 'modalfuse', what: 'ModalFuse as deployed (cache miss)' },
];

/** How many inputs a ladder uses per iteration: its numbers run from `firstNumber` to this × iterations past it. */
export const ladderSteps = steps.length;

export interface Ladder {
  readonly name: string;
  readonly samples: ReadonlyMap<WorkerName, Sample[]>;
}

/** The case's Workers in turn; `firstNumber` is the first input number no other run of this bench uses. */
export async function runLadder(
  stack: EdgeStack,
  edgeCase: EdgeCase,
  counts: Counts,
  firstNumber: number,
): Promise<Ladder> {
  const samples = new Map<WorkerName, Sample[]>(steps.map((step) => [step.worker, []]));
  let next = firstNumber;
  const callsOf = (worker: WorkerName, i: number): Call[] => {
    if (worker === 'proxy') return edgeCase.proxy(i);
    const floor = edgeCase.floor?.(i);
    return [worker.startsWith('floor') && floor !== undefined ? floor : edgeCase.modalfuse(i)];
  };
  for (let i = 0; i < counts.warmup + counts.iterations; i++) {
    for (let k = 0; k < steps.length; k++) {
      const { worker } = steps[(i + k) % steps.length] as (typeof steps)[number];
      const timed = await sample(stack, stack.urls[worker], callsOf(worker, next++));
      if (i >= counts.warmup) samples.get(worker)?.push(timed);
    }
  }
  return { name: edgeCase.name, samples };
}

export function printLadder({ name, samples }: Ladder): void {
  console.log(`\n${name}, step by step (one run, the five Workers in turn)`);
  console.log(
    '| Worker | p50 ms | p99 ms | Δ p50 vs proxy | p50 vs proxy | Δ p50 vs the row above | ' +
      'workerd CPU ms/req | CPU vs proxy | Δ CPU vs the row above |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const proxy = samples.get('proxy') ?? [];
  const [proxyP50, proxyCpu] = [latency(proxy, 0.5), meanCpu(proxy)];
  let [aboveP50, aboveCpu] = [proxyP50, proxyCpu];
  for (const { worker, what } of steps) {
    const of = samples.get(worker) ?? [];
    const [p50, cpu] = [latency(of, 0.5), meanCpu(of)];
    const cells = [
      what,
      ms(p50),
      ms(latency(of, 0.99)),
      ms(p50 - proxyP50),
      ratio(p50, proxyP50),
      ms(p50 - aboveP50),
      ms(cpu),
      ratio(cpu, proxyCpu),
      ms(cpu - aboveCpu),
    ];
    console.log(`| ${cells.join(' | ')} |`);
    [aboveP50, aboveCpu] = [p50, cpu];
  }
}
