/**
 * `/metrics` beside the inference series: the process's own metrics under prom-client's default names, with
 * plausible values, and counters named by Prometheus' conventions (`_total`) but for Triton's own names, kept as
 * Triton spells them for the dashboards that scrape them.
 */
import { describe, expect, it } from 'vitest';
import { renderMetrics } from './metrics.ts';

function parse(text: string): { types: Map<string, string>; values: Map<string, number> } {
  const types = new Map<string, string>();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const typed = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (typed) types.set(typed[1] ?? '', typed[2] ?? '');
    else if (line !== '' && !line.startsWith('#'))
      values.set(line.split(' ')[0] ?? '', Number(line.split(' ')[1]));
  }
  return { types, values };
}

describe('/metrics', () => {
  it('has the process metrics as prom-client names them, with plausible values', async () => {
    const started = Date.now();
    while (Date.now() - started < 30); // some CPU time, and a blocked event loop to measure
    await new Promise((resolve) => setTimeout(resolve, 30));
    const { types, values } = parse(renderMetrics([]));
    expect(types.get('process_cpu_seconds_total')).toBe('counter');
    expect(values.get('process_cpu_seconds_total')).toBeGreaterThan(0);
    const cpu =
      (values.get('process_cpu_user_seconds_total') ?? 0) +
      (values.get('process_cpu_system_seconds_total') ?? 0);
    expect(values.get('process_cpu_seconds_total')).toBeCloseTo(cpu, 6);
    expect(types.get('process_resident_memory_bytes')).toBe('gauge');
    expect(values.get('process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(values.get('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(values.get('process_start_time_seconds')).toBeLessThanOrEqual(Date.now() / 1000);
    expect(values.get('process_start_time_seconds')).toBeGreaterThan(Date.now() / 1000 - 3600);
    for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds']) {
      expect(types.get(name)).toBe('gauge');
      expect(values.get(name)).toBeGreaterThanOrEqual(0);
      expect(values.get(name)).toBeLessThan(5);
    }
  });

  it('names every counter `_total`, but for Triton’s own', () => {
    const { types } = parse(renderMetrics([]));
    const counters = [...types].filter(([, type]) => type === 'counter').map(([name]) => name);
    expect(counters).toContain('modalfuse_inference_cancelled_total');
    expect(counters.filter((name) => !name.endsWith('_total'))).toEqual([
      'nv_inference_request_success',
      'nv_inference_request_failure',
      'nv_inference_count',
      'nv_inference_exec_count',
      'nv_inference_queue_duration_us',
      'nv_inference_compute_infer_duration_us',
    ]);
  });
});
