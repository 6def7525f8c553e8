/**
 * @module
 * `GET /metrics` in Prometheus' text format, with Triton's metric names where Triton has one (requests,
 * inferences, executions, cumulative queue and compute microseconds: kept as Triton spells them, without
 * `_total`, since that is what Triton users' dashboards scrape), plus ModalFuse's own, named by Prometheus'
 * conventions (counters end in `_total`): the batcher's queue depth, the items it dropped for cancelled requests
 * and a batch-size histogram; every series is labelled by model and version as Triton labels them. Then the
 * process's own metrics (`process-metrics.ts`).
 */
import { Hono } from 'hono';
import type { Model } from '../runtime/model.ts';
import { BATCH_SIZE_BUCKETS, type ModelStats } from '../runtime/stats.ts';
import type { AppDeps } from './deps.ts';
import { renderProcessMetrics } from './process-metrics.ts';

interface Family {
  readonly name: string;
  readonly type: 'counter' | 'gauge';
  readonly help: string;
  readonly value: (stats: ModelStats, model: Model) => number;
}

const FAMILIES: readonly Family[] = [
  {
    name: 'nv_inference_request_success',
    type: 'counter',
    help: 'Number of successful inference requests',
    value: (s) => s.requestSuccess,
  },
  {
    name: 'nv_inference_request_failure',
    type: 'counter',
    help: 'Number of failed inference requests',
    value: (s) => s.requestFailure,
  },
  {
    name: 'nv_inference_count',
    type: 'counter',
    help: 'Number of inferences performed (items, batch rows)',
    value: (s) => s.inferenceCount,
  },
  {
    name: 'nv_inference_exec_count',
    type: 'counter',
    help: 'Number of model executions (session runs)',
    value: (s) => s.execCount,
  },
  {
    name: 'nv_inference_queue_duration_us',
    type: 'counter',
    help: 'Cumulative time items waited in the queue, in microseconds',
    value: (s) => Math.round(s.queueUs),
  },
  {
    name: 'nv_inference_compute_infer_duration_us',
    type: 'counter',
    help: 'Cumulative session run time, in microseconds',
    value: (s) => Math.round(s.computeUs),
  },
  {
    name: 'modalfuse_inference_cancelled_total',
    type: 'counter',
    help: 'Number of queued items dropped unrun because their client cancelled the request',
    value: (s) => s.cancelledCount,
  },
  {
    name: 'modalfuse_inference_queue_depth',
    type: 'gauge',
    help: 'Items waiting in the dynamic batcher queue',
    value: (_, m) => m.queueDepth(),
  },
];

const labels = (model: Model, extra = ''): string =>
  `{model="${model.name}",version="${model.version}"${extra}}`;

function histogram(models: readonly Model[]): string[] {
  const name = 'modalfuse_inference_batch_size';
  const lines = [`# HELP ${name} Items per model execution`, `# TYPE ${name} histogram`];
  for (const model of models) {
    const { batchSizeBuckets, batchSizeSum, execCount } = model.stats;
    BATCH_SIZE_BUCKETS.forEach((bound, index) => {
      lines.push(`${name}_bucket${labels(model, `,le="${bound}"`)} ${batchSizeBuckets[index] ?? 0}`);
    });
    lines.push(`${name}_bucket${labels(model, ',le="+Inf"')} ${execCount}`);
    lines.push(`${name}_sum${labels(model)} ${batchSizeSum}`, `${name}_count${labels(model)} ${execCount}`);
  }
  return lines;
}

export function renderMetrics(models: readonly Model[]): string {
  const lines = FAMILIES.flatMap((family) => [
    `# HELP ${family.name} ${family.help}`,
    `# TYPE ${family.name} ${family.type}`,
    ...models.map((model) => `${family.name}${labels(model)} ${family.value(model.stats, model)}`),
  ]);
  return [...lines, ...histogram(models), ...renderProcessMetrics(), ''].join('\n');
}

export function metricsRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/metrics', (c) =>
    c.text(renderMetrics(deps.registry.models()), 200, { 'content-type': 'text/plain; version=0.0.4' }),
  );
  return app;
}
