/**
 * @module
 * CPU time, for the backend benchmark's "CPU ms per item" column: unlike throughput, it barely moves when other
 * jobs share the machine, so it shows the cost of each row even when the wall-clock figures are noisy. The
 * backend's time is read from `/proc` for its process and every descendant (Linux; elsewhere unknown).
 */
import { readFileSync } from 'node:fs';

/** Linux reports process times in clock ticks of 1/100 s (`getconf CLK_TCK`). */
const MS_PER_TICK = 10;

/** CPU ms used so far by this process (every thread). */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function children(pid: number): number[] {
  const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return tasks === '' ? [] : tasks.split(/\s+/).map(Number);
}

function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}

/** CPU ms used so far by `pid` and its descendants; undefined where `/proc` cannot tell. */
export function treeCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return processCpuMs(pid) + children(pid).reduce((sum, child) => sum + (treeCpuMs(child) ?? 0), 0);
  } catch {
    return undefined;
  }
}
