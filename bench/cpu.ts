/**
 * @module
 * CPU time, for the backend benchmark's "CPU ms per item" column: unlike throughput, it barely moves when other
 * jobs share the machine, so it shows the cost of each row even when the wall-clock figures are noisy. The
 * backend's time is read from `/proc` for its process and every descendant, workerd's per thread in ns (Linux;
 * elsewhere unknown).
 */
import { readFileSync, readdirSync } from 'node:fs';

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
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, then cutime and
  // cstime, the children it has waited for — a decoder process that has exited counts there, no longer in the tree.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0) * MS_PER_TICK;
}

/** CPU ms used so far by `pid` and its descendants, living or exited; undefined where `/proc` cannot tell. */
export function treeCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return processCpuMs(pid) + children(pid).reduce((sum, child) => sum + (treeCpuMs(child) ?? 0), 0);
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) => {
    const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    return text === '' ? [] : text.split(/\s+/).map(Number);
  });
}

/** The workerd process Miniflare started: a descendant of this process named workerd. */
function findWorkerd(pid = process.pid): number | undefined {
  for (const child of childrenOf(pid)) {
    if (readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'workerd') return child;
    const below = findWorkerd(child);
    if (below !== undefined) return below;
  }
  return undefined;
}

/** The first field of each thread's schedstat: ns on CPU. */
function cpuNsOf(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).reduce((sum, task) => {
    const [ns = '0'] = readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ');
    return sum + Number(ns);
  }, 0);
}

/**
 * A reader of the CPU ns used so far by the workerd process that Miniflare started for this process (the Worker,
 * its Durable Objects and Miniflare's own entry Worker); it answers undefined where `/proc` cannot tell.
 */
export function workerdCpuNs(): () => number | undefined {
  const workerd = findWorkerd();
  return () => {
    if (workerd === undefined) return undefined;
    try {
      return cpuNsOf(workerd);
    } catch {
      return undefined;
    }
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until workerd is idle: `atLeastMs` first (work a Worker defers starts a few ms after its answer,
 * `src/defer.ts`), then until it used under 50 µs of CPU in 2 ms. A request's CPU read after this holds its own
 * deferred work, and the next request starts on an idle runtime rather than on the last one's cache write.
 */
export async function settled(readNs: () => number | undefined, atLeastMs: number): Promise<void> {
  await pause(atLeastMs);
  for (let last = readNs(); last !== undefined;) {
    await pause(2);
    const now = readNs();
    if (now === undefined || now - last < 50_000) return;
    last = now;
  }
}
