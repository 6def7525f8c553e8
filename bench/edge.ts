/**
 * @module
 * `npm run bench:edge`: what ModalFuse's Worker costs over a bare pass-through Worker in the same workerd,
 * forwarding the same work to the same real backend (`edge-stack.ts`, `edge-cases.ts`). Per case, the two are
 * called in turn (which goes first alternates), one request at a time, from Node over loopback HTTP, each after
 * workerd is idle again (`cpu.ts settled`: one Worker's deferred cache write neither lands on the next request's
 * time nor leaves its own CPU column); the table gives p50/p99 latency and workerd CPU per request of each (its
 * deferred work included), their differences and ratios. Then where ModalFuse's
 * time goes, from its `Server-Timing`: means per stage, since workerd's clock moves in whole milliseconds; stages
 * of one name that overlap or repeat are summed; `backend` includes the cache lookup (one per request), also
 * shown alone; `other` is `total` less the stages (routing, JSON in and out, logging). Then the miss and classify
 * step by step (`edge-ladder.ts`: proxy, floor, the floor making the Cache API calls, ModalFuse without its cache,
 * ModalFuse), and last issue 31's targets, each with its measured ratio and met / not met. `--iterations N`
 * (default 300) and `--warmup N` (default 30) per case, `--case TEXT` only the cases whose name has it; a smoke run:
 * `npm run bench:edge -- --iterations 5 --warmup 1`.
 */
import { parseArgs } from 'node:util';
import { newBackendToken, prepareModels, startBackend } from '../scripts/lib/backend-process.ts';
import { buildEvalSet, type EvalItem } from './dataset/build.ts';
import { edgeCases, type EdgeCase } from './edge-cases.ts';
import { setUp } from './edge-setup.ts';
import { ladderSteps, printLadder, runLadder, type Ladder } from './edge-ladder.ts';
import { latency, meanCpu, ms, ratio, sample, type Counts, type Sample } from './edge-sample.ts';
import { startEdgeStack, type EdgeStack } from './edge-stack.ts';

const stages = [
  'validate',
  'auth',
  'ratelimit',
  'task',
  'normalize',
  'cache-lookup',
  'backend',
  'heads',
  'fusion',
];

async function runCase(stack: EdgeStack, edgeCase: EdgeCase, counts: Counts) {
  const samples = { modalfuse: [] as Sample[], proxy: [] as Sample[] };
  for (let i = 0; i < counts.warmup + counts.iterations; i++) {
    const modalfuse = () => sample(stack, stack.urls.modalfuse, [edgeCase.modalfuse(i)]);
    const proxy = () => sample(stack, stack.urls.proxy, edgeCase.proxy(i));
    const [first, second] = i % 2 === 0 ? [modalfuse, proxy] : [proxy, modalfuse];
    const a = await first();
    const b = await second();
    if (i < counts.warmup) continue;
    samples.modalfuse.push(i % 2 === 0 ? a : b);
    samples.proxy.push(i % 2 === 0 ? b : a);
  }
  return samples;
}

type Results = [string, { modalfuse: Sample[]; proxy: Sample[] }][];

function printLatency(results: Results): void {
  console.log(
    '\n| case | ModalFuse p50 ms | p99 | proxy p50 ms | p99 | Δ p50 ms | p50 ratio | ' +
      'ModalFuse CPU ms/req | proxy CPU ms/req | CPU ratio |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, { modalfuse, proxy }] of results) {
    const [m50, m99, p50, p99] = [
      latency(modalfuse, 0.5),
      latency(modalfuse, 0.99),
      latency(proxy, 0.5),
      latency(proxy, 0.99),
    ];
    const [mc, pc] = [meanCpu(modalfuse), meanCpu(proxy)];
    const cells = [
      name,
      ms(m50),
      ms(m99),
      ms(p50),
      ms(p99),
      ms(m50 - p50),
      ratio(m50, p50),
      ms(mc),
      ms(pc),
      ratio(mc, pc),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

const mean = (values: readonly number[]) => values.reduce((sum, x) => sum + x, 0) / values.length;

/** What `total` holds besides the stages (the cache lookup is inside `backend`). */
function otherOf(sample: Sample): number {
  const staged = stages.filter((stage) => stage !== 'cache-lookup');
  return (
    (sample.timing.get('total') ?? 0) -
    staged.reduce((sum, stage) => sum + (sample.timing.get(stage) ?? 0), 0)
  );
}

function printBreakdown(results: Results): void {
  const columns = [...stages, 'other', 'total'];
  console.log(`\nWhere ModalFuse's time goes (Server-Timing, mean ms per request)`);
  console.log(`| case | ${columns.join(' | ')} |`);
  console.log(`| --- | ${columns.map(() => '---:').join(' | ')} |`);
  for (const [name, { modalfuse }] of results) {
    const meanOf = (metric: string) => mean(modalfuse.map((s) => s.timing.get(metric) ?? 0));
    const cells = [
      ...stages.map((stage) => ms(meanOf(stage))),
      ms(mean(modalfuse.map(otherOf))),
      ms(meanOf('total')),
    ];
    console.log(`| ${[name, ...cells].join(' | ')} |`);
  }
}

/** Issue 31's targets, as deployed against the bare proxy in the main run: what the lead checks. */
const targets = [
  { case: 'classify, text + image + audio', what: 'p50', at: 1.15 },
  { case: 'classify, text + image + audio', what: 'CPU', at: 3 },
  { case: 'embeddings, 16 texts', what: 'CPU', at: 2 },
] as const;

function printTargets(results: Results): void {
  console.log('\nTargets (ModalFuse as deployed against the bare proxy, the main table)');
  for (const target of targets) {
    const found = results.find(([name]) => name === target.case);
    if (found === undefined) continue;
    const { modalfuse, proxy } = found[1];
    const measured =
      target.what === 'p50'
        ? latency(modalfuse, 0.5) / latency(proxy, 0.5)
        : meanCpu(modalfuse) / meanCpu(proxy);
    const met = Number.isFinite(measured) && measured <= target.at ? 'met' : 'not met';
    console.log(
      `target: ${target.case}, ${target.what} ≤ ${target.at}× the proxy's — measured ${measured.toFixed(2)}×: ${met}`,
    );
  }
}

function countsOf(): { warmup: number; iterations: number; only: string } {
  const { values } = parseArgs({
    options: { iterations: { type: 'string' }, warmup: { type: 'string' }, case: { type: 'string' } },
  });
  const counts = {
    iterations: Number(values.iterations ?? 300),
    warmup: Number(values.warmup ?? 30),
    only: values.case ?? '',
  };
  if (
    !Number.isInteger(counts.iterations) ||
    counts.iterations < 1 ||
    !Number.isInteger(counts.warmup) ||
    counts.warmup < 0
  )
    throw new Error('--iterations takes a whole number ≥ 1, --warmup one ≥ 0');
  return counts;
}

async function main(): Promise<void> {
  const counts = countsOf();
  await prepareModels(() => undefined);
  const items = await buildEvalSet({ perLabel: 2 });
  const backend = await startBackend({
    env: { MODALFUSE_EXECUTION_PROVIDER: 'cpu', MODALFUSE_BACKEND_TOKEN: newBackendToken() },
  });
  try {
    const stack = await startEdgeStack(backend);
    try {
      const labels = [...new Set(items.map((item) => item.label))];
      const models = await setUp(stack, backend, labels, items);
      const item = items.find((candidate) => candidate.split === 'test') ?? (items[0] as EvalItem);
      // The main run's inputs are numbered below `perRun`, each ladder's from there on.
      const perRun = counts.warmup + counts.iterations;
      const cases = await edgeCases('bench-edge', models, labels, item, perRun * (1 + ladderSteps));
      const chosen = cases.filter((c) => c.name.includes(counts.only));
      const results: Results = [];
      for (const edgeCase of chosen) results.push([edgeCase.name, await runCase(stack, edgeCase, counts)]);
      const ladders: Ladder[] = [];
      for (const edgeCase of chosen.filter((c) => c.floor !== undefined))
        ladders.push(await runLadder(stack, edgeCase, counts, perRun));
      console.log(
        `bench:edge — ${counts.iterations} iterations per case after ${counts.warmup} warm-up, one request at a time`,
      );
      printLatency(results);
      printBreakdown(results);
      ladders.forEach(printLadder);
      printTargets(results);
    } finally {
      await stack.stop();
    }
  } finally {
    await backend.stop();
  }
}

await main();
