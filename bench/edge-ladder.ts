/**
 * @module
 * `bench:edge`'s last table: the one-text cache miss step by step, four Workers in one run — the bare proxy, the
 * floor (`edge-workers.ts`: what any Worker serving the route must do), ModalFuse with its embedding cache off, and
 * ModalFuse as deployed — each step's p50 against the proxy and against the step before, with workerd's CPU per
 * request. Which Worker goes first rotates; every text is new, so every ModalFuse call is a miss.
 */
import type { Call, EdgeCase } from './edge-cases.ts';
import { latency, meanCpu, ms, sample, type Counts, type Sample } from './edge-sample.ts';
import type { EdgeStack, WorkerName } from './edge-stack.ts';

const steps: readonly { readonly worker: WorkerName; readonly what: string }[] = [
  { worker: 'proxy', what: 'bare proxy' },
  { worker: 'floor', what: 'floor: JSON in, one infer call, JSON out' },
  { worker: 'uncached', what: 'ModalFuse, embedding cache off' },
  { worker: 'modalfuse', what: 'ModalFuse as deployed (cache miss)' },
];

/** Numbers no other case of the run uses: the texts are new to ModalFuse's cache. */
const firstNumber = 1_000_000;

export type Ladder = ReadonlyMap<WorkerName, Sample[]>;

export async function runLadder(stack: EdgeStack, miss: EdgeCase, counts: Counts): Promise<Ladder> {
  const samples = new Map<WorkerName, Sample[]>(steps.map((step) => [step.worker, []]));
  let next = firstNumber;
  for (let i = 0; i < counts.warmup + counts.iterations; i++) {
    for (let k = 0; k < steps.length; k++) {
      const { worker } = steps[(i + k) % steps.length] as (typeof steps)[number];
      const calls: Call[] = worker === 'proxy' ? miss.proxy(next) : [miss.modalfuse(next)];
      next++;
      const timed = await sample(stack, stack.urls[worker], calls);
      if (i >= counts.warmup) samples.get(worker)?.push(timed);
    }
  }
  return samples;
}

export function printLadder(ladder: Ladder): void {
  console.log('\nThe cache miss step by step (one run, the four Workers in turn)');
  console.log('| Worker | p50 ms | p99 ms | Δ p50 vs proxy | Δ p50 vs the row above | workerd CPU ms/req |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const proxy = latency(ladder.get('proxy') ?? [], 0.5);
  let above = proxy;
  for (const { worker, what } of steps) {
    const samples = ladder.get(worker) ?? [];
    const p50 = latency(samples, 0.5);
    const cells = [
      what,
      ms(p50),
      ms(latency(samples, 0.99)),
      ms(p50 - proxy),
      ms(p50 - above),
      ms(meanCpu(samples)),
    ];
    console.log(`| ${cells.join(' | ')} |`);
    above = p50;
  }
}
