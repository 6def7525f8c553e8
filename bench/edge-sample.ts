/**
 * @module
 * One timed request of `bench:edge` and the figures made of many: its latency from Node, workerd's CPU for it
 * (deferred work included: the next request starts once workerd is idle again, `cpu.ts settled`) and, from
 * ModalFuse, its `Server-Timing` durations.
 */
import { performance } from 'node:perf_hooks';
import { deferDelayMs } from '../src/defer.ts';
import { settled } from './cpu.ts';
import { headers, type Call } from './edge-cases.ts';
import type { EdgeStack } from './edge-stack.ts';

export interface Sample {
  readonly ms: number;
  readonly cpuMs: number | undefined;
  /** Server-Timing durations by metric (ModalFuse only). */
  readonly timing: ReadonlyMap<string, number>;
}

export async function post(origin: string, call: Call): Promise<Response> {
  const response = await fetch(`${origin}${call.path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(call.body),
  });
  if (!response.ok) throw new Error(`${call.path}: ${response.status} ${await response.text()}`);
  return response;
}

/** `name;dur=1.2;desc="x", other;dur=3` → durations summed by name. */
export function serverTiming(header: string | null): Map<string, number> {
  const durations = new Map<string, number>();
  for (const entry of (header ?? '').split(',')) {
    const [name = '', ...params] = entry.trim().split(';');
    const dur = params.find((param) => param.startsWith('dur='));
    if (dur !== undefined) durations.set(name, (durations.get(name) ?? 0) + Number(dur.slice(4)));
  }
  return durations;
}

/** The calls sent together to one Worker, timed until every answer is read, then workerd left to settle. */
export async function sample(stack: EdgeStack, origin: string, calls: readonly Call[]): Promise<Sample> {
  const cpuBefore = stack.workerdCpuNs();
  const started = performance.now();
  const responses = await Promise.all(calls.map((call) => post(origin, call)));
  await Promise.all(responses.map((response) => response.arrayBuffer()));
  const ms = performance.now() - started;
  await settled(() => stack.workerdCpuNs(), deferDelayMs + 3);
  const cpuAfter = stack.workerdCpuNs();
  const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / 1e6;
  return { ms, cpuMs, timing: serverTiming(responses[0]?.headers.get('server-timing') ?? null) };
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** The latency quantile of samples. */
export const latency = (samples: readonly Sample[], q: number) =>
  quantile(
    samples.map((s) => s.ms),
    q,
  );

/** Mean workerd CPU ms per sample (NaN where `/proc` could not tell). */
export const meanCpu = (samples: readonly Sample[]) =>
  samples.reduce((sum, s) => sum + (s.cpuMs ?? Number.NaN), 0) / samples.length;

export const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');

export const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '–');

export interface Counts {
  readonly warmup: number;
  readonly iterations: number;
}
