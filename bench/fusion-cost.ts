/**
 * @module
 * The cost of one fused item — 3 modalities × 100 labels, ranked answer — per strategy, against the 20 µs target.
 * Run alone with `npx tsx bench/fusion-cost.ts` (no backend needed); `npm run bench:fusion` prints it last.
 *
 * Timing that survives a shared machine: every strategy is warmed up first (the JIT has settled), then timed in
 * many short rounds that take turns between the strategies, so that other load falls on all of them alike; the
 * table shows each one's median and fastest round. A fixed reference loop is timed in the same rounds: its time
 * says how loaded the machine was, and the `× reference` column stays comparable between machines and runs.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { renormalize } from '../src/distribution.ts';
import { fuse, type Decision } from '../src/fusion/fuse.ts';
import { strategyNames } from '../src/fusion/registry.ts';

const modalities = ['text', 'image', 'audio'] as const;
const labelSet = Array.from({ length: 100 }, (_, i) => `label-${i}`);
const items = 64;
const rounds = 41;
const callsPerRound = 2_000;

/** Distributions shaped like a head's: a few likely labels, a long tail (softmax of cosines / T). */
function decisionsOf(k: number): Decision[] {
  return modalities.map((modality, m) => ({
    modality,
    scores: renormalize(labelSet.map((_, y) => Math.exp(8 * Math.sin((k * 3 + m) * 131 + y * 17)))),
  }));
}

/** 300 multiply-adds and 100 `Math.exp`: a fixed amount of work to measure the machine's speed by. */
function reference(scores: readonly number[]): number {
  let total = 0;
  for (let m = 0; m < 3; m++) for (let y = 0; y < scores.length; y++) total += (scores[y] ?? 0) * m;
  for (let y = 0; y < scores.length; y++) total += Math.exp(-(scores[y] ?? 0));
  return total;
}

export interface CostRow {
  readonly name: string;
  readonly median: number;
  readonly best: number;
}

/** Microseconds per call of each case: medians and fastest rounds over rounds that take turns. */
export function measure(cases: Readonly<Record<string, (i: number) => unknown>>): CostRow[] {
  const names = Object.keys(cases);
  const times = new Map(names.map((name) => [name, [] as number[]]));
  for (const name of names) for (let i = 0; i < callsPerRound * 10; i++) cases[name]?.(i);
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const run = cases[name] ?? (() => undefined);
      const start = performance.now();
      for (let i = 0; i < callsPerRound; i++) run(i);
      times.get(name)?.push(((performance.now() - start) * 1000) / callsPerRound);
    }
  }
  return names.map((name) => {
    const sorted = (times.get(name) ?? []).sort((a, b) => a - b);
    return { name, median: sorted[sorted.length >> 1] ?? 0, best: sorted[0] ?? 0 };
  });
}

/** Prints the cost table of every strategy. */
export function timeFusion(): void {
  const decisions = Array.from({ length: items }, (_, k) => decisionsOf(k));
  const stacking = {
    coefficients: { text: [0.6, 0.1], image: [0.3, 0], audio: [0.9, 0.2] } as Record<
      string,
      [number, number]
    >,
    bias: labelSet.map((_, y) => (y % 7) / 10),
  };
  const cases: Record<string, (i: number) => unknown> = {
    reference: (i) => reference(decisions[i % items]?.[0]?.scores ?? []),
  };
  for (const strategy of strategyNames) {
    cases[strategy] = (i) => fuse(labelSet, decisions[i % items] ?? [], { strategy, stacking });
  }
  const rows = measure(cases);
  const ref = rows.find((row) => row.name === 'reference')?.median ?? 1;
  console.log('\nCost of one fused item (3 modalities × 100 labels, ranked answer), target ≤ 20 µs');
  console.log(
    `(${rounds} rounds of ${callsPerRound} calls taking turns; reference loop: ${ref.toFixed(2)} µs)`,
  );
  console.log('| strategy | µs per item, median | fastest round | × reference | median / target |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const row of rows.filter((r) => r.name !== 'reference')) {
    const cells = [
      row.median.toFixed(1),
      row.best.toFixed(1),
      (row.median / ref).toFixed(1),
      (row.median / 20).toFixed(2),
    ];
    console.log(`| ${row.name} | ${cells.join(' | ')} |`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) timeFusion();
