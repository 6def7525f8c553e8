/**
 * @module
 * The benchmark's (a2) row: two processes, each one single-threaded session at a fixed batch size
 * (`raw-process.ts`), started together — the layout the server's two instances use, without the server. A
 * stronger limit than (a)'s one session splitting each operator over both cores.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../scripts/lib/backend-process.ts';
import type { CellResult } from './backend-load.ts';
import type { RawKind } from './backend-rows.ts';

const PROCESSES = 2;

function startProcess(args: readonly string[]) {
  const child = spawn(
    join(repoRoot, 'node_modules', '.bin', 'tsx'),
    [join(repoRoot, 'bench', 'raw-process.ts'), ...args],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`raw-process.ts ${args.join(' ')} ended early (exit ${child.exitCode})`);
    return line.value;
  };
  return { child, next, exited };
}

/** Both processes' results as one row: items/s added, latencies the worse of the two, CPU per item averaged. */
function combine(cells: readonly CellResult[], batch: number): CellResult {
  const throughput = cells.reduce((sum, cell) => sum + cell.throughput, 0);
  const cpu = cells.reduce((sum, cell) => sum + (cell.cpuMsPerItem ?? NaN) * cell.throughput, 0) / throughput;
  return {
    throughput,
    p50: Math.max(...cells.map((cell) => cell.p50)),
    p99: Math.max(...cells.map((cell) => cell.p99)),
    errors: 0,
    note: `${PROCESSES} × batch ${batch}`,
    cpuMsPerItem: cpu,
  };
}

export async function rawPairRow(
  kind: RawKind,
  model: string,
  batch: number,
  windowMs: number,
): Promise<CellResult> {
  const processes = Array.from({ length: PROCESSES }, () =>
    startProcess([kind, model, String(batch), String(windowMs)]),
  );
  try {
    for (const { next } of processes)
      if ((await next()) !== 'ready') throw new Error('raw-process.ts did not start');
    for (const { child } of processes) child.stdin.write('go\n');
    const cells = await Promise.all(
      processes.map(async ({ next }) => JSON.parse(await next()) as CellResult),
    );
    return combine(cells, batch);
  } finally {
    for (const { child, exited } of processes) {
      if (child.exitCode === null) child.kill();
      await exited;
    }
  }
}
