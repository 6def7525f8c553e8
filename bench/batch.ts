/**
 * @module
 * `npm run bench:batch`: lines per second through the Batch API (upload, the queue, the consumer running each line
 * through the app, the output file) against the same number of lines sent to the synchronous `/v1/embeddings`
 * with the CLI's concurrency (4 requests in flight, as `modalfuse examples add`), on one real backend and the
 * Worker as deployed (bundled by wrangler, run by Miniflare with its local queue, R2 and Durable Objects).
 * `--lines N` (default 2000), `--model` (default text-hash-256), `--concurrency` (default 4). Each mode embeds
 * inputs of its own, so that neither is served from the other's cache.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { newBackendToken, startBackend } from '../scripts/lib/backend-process.ts';
import { startWorker, type WorkerStack } from './worker-stack.ts';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '2000' },
    model: { type: 'string', default: 'text-hash-256' },
    concurrency: { type: 'string', default: '4' },
  },
});
const lines = Number(values.lines);
const concurrency = Number(values.concurrency);
const model = values.model;
const log = (line: string) => process.stderr.write(`${line}\n`);

const inputs = (mode: string) =>
  Array.from(
    { length: lines },
    (_, i) => `${mode} ${i}: a short sentence about colours and shapes, number ${i}`,
  );

async function synchronous(worker: WorkerStack): Promise<number> {
  const todo = inputs('sync');
  let next = 0;
  const start = performance.now();
  const client = async () => {
    while (next < todo.length) {
      const input = todo[next++];
      const body = JSON.stringify({ model, input });
      const response = await worker.fetch('/v1/embeddings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (response.status !== 200) throw new Error(`sync: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return (performance.now() - start) / 1000;
}

interface BatchState {
  readonly id: string;
  readonly status: string;
  readonly request_counts: { total: number; completed: number; failed: number };
  readonly output_file_id: string | null;
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`batch: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function queued(worker: WorkerStack): Promise<number> {
  const text = inputs('queue')
    .map((input, i) =>
      JSON.stringify({ custom_id: `l${i}`, method: 'POST', url: '/v1/embeddings', body: { model, input } }),
    )
    .join('\n');
  const start = performance.now();
  const form = new FormData();
  form.set('purpose', 'batch');
  form.set('file', new File([text], 'bench.jsonl'));
  // Encoded here: Miniflare's dispatchFetch does not frame Node's FormData itself.
  const encoded = new Response(form);
  const upload = {
    method: 'POST',
    headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
    body: await encoded.arrayBuffer(),
  };
  const file = await json<{ id: string }>(await worker.fetch('/v1/files', upload));
  const create = { input_file_id: file.id, endpoint: '/v1/embeddings', completion_window: '24h' };
  const headers = { 'content-type': 'application/json' };
  let batch = await json<BatchState>(
    await worker.fetch('/v1/batches', { method: 'POST', headers, body: JSON.stringify(create) }),
  );
  while (!['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    batch = await json<BatchState>(await worker.fetch(`/v1/batches/${batch.id}`));
  }
  if (batch.request_counts.completed !== lines) throw new Error(`batch: ${JSON.stringify(batch)}`);
  await (await worker.fetch(`/v1/files/${batch.output_file_id}/content`)).arrayBuffer();
  return (performance.now() - start) / 1000;
}

function row(name: string, seconds: number, reference: number): string[] {
  return [
    name,
    String(lines),
    seconds.toFixed(2),
    (lines / seconds).toFixed(1),
    (reference / seconds).toFixed(2),
  ];
}

function print(rows: string[][]): void {
  const header = ['mode', 'lines', 'seconds', 'lines/s', '× sync'];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
  console.log(
    [
      line(header),
      `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
      ...rows.map(line),
    ].join('\n'),
  );
}

const backend = await startBackend({ env: { MODALFUSE_BACKEND_TOKEN: newBackendToken() } });
const worker = await startWorker(backend);
try {
  log(`bench:batch — ${lines} lines of ${model}, synchronous with ${concurrency} in flight vs the Batch API`);
  // One of each first: the isolate, the backend's model and the Durable Objects warmed up.
  await worker.fetch('/v1/embeddings', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, input: 'warm-up' }),
  });
  const sync = await synchronous(worker);
  const batch = await queued(worker);
  print([
    row(`synchronous /v1/embeddings, ${concurrency} in flight`, sync, sync),
    row('Batch API (upload → queue → output file)', batch, sync),
  ]);
} finally {
  await worker.stop();
  await backend.stop();
}
