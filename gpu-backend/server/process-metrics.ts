/**
 * @module
 * The process's own metrics beside the inference ones on `/metrics`, named as prom-client's default metrics name
 * them (what Node dashboards and alerts expect): CPU seconds, resident memory, heap, start time, and event-loop
 * lag from `perf_hooks`' delay histogram (mean and p99 since the last scrape, which resets it).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

interface Sample {
  readonly name: string;
  readonly type: 'counter' | 'gauge';
  readonly help: string;
  readonly value: number;
}

type LoopHistogram = ReturnType<typeof monitorEventLoopDelay>;
let loop: LoopHistogram | undefined;

/** The event-loop delay histogram, started on the first scrape (resolution 10 ms, as prom-client's default). */
function loopDelay(): LoopHistogram {
  if (loop === undefined) {
    loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
  }
  return loop;
}

const startSeconds = Date.now() / 1000 - process.uptime();

function samples(): Sample[] {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const delay = loopDelay();
  const lag = (nanoseconds: number) => (Number.isFinite(nanoseconds) ? nanoseconds / 1e9 : 0);
  const sampled = [
    ['process_cpu_user_seconds_total', 'counter', 'User CPU time spent in seconds.', cpu.user / 1e6],
    ['process_cpu_system_seconds_total', 'counter', 'System CPU time spent in seconds.', cpu.system / 1e6],
    [
      'process_cpu_seconds_total',
      'counter',
      'User and system CPU time in seconds.',
      (cpu.user + cpu.system) / 1e6,
    ],
    ['process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch.', startSeconds],
    ['process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', memory.rss],
    [
      'nodejs_heap_size_used_bytes',
      'gauge',
      'Process heap size used from Node.js in bytes.',
      memory.heapUsed,
    ],
    ['nodejs_eventloop_lag_seconds', 'gauge', 'Mean event loop lag in seconds.', lag(delay.mean)],
    [
      'nodejs_eventloop_lag_p99_seconds',
      'gauge',
      '99th percentile of event loop lag.',
      lag(delay.percentile(99)),
    ],
  ] as const;
  delay.reset();
  return sampled.map(([name, type, help, value]) => ({ name, type, help, value }));
}

/** The process metrics in Prometheus' text format, one family each. */
export function renderProcessMetrics(): string[] {
  return samples().flatMap((sample) => [
    `# HELP ${sample.name} ${sample.help}`,
    `# TYPE ${sample.name} ${sample.type}`,
    `${sample.name} ${sample.value}`,
  ]);
}
