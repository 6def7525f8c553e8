/**
 * @module
 * `modalfuse batch <file.jsonl>`: a JSONL file of requests (`{custom_id, method, url, body}`, OpenAI's batch input)
 * uploaded, run as a batch through the API's queue, waited for with a progress bar, and its output and error files
 * downloaded beside the input (`<stem>.output.jsonl`, `<stem>.errors.jsonl`). The endpoint is the first line's
 * `url` unless given. Exit 0 when the batch completed (its failed lines are in the error file), 1 when it failed
 * validation (the lines are printed), expired or was cancelled; 130 when interrupted (the batch runs on).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { errorOf, ok, type BatchView, type ModalFuseClient } from '#client';
import type { Context } from './commands.ts';
import { exitCodes, table, UsageError } from './output.ts';

const endpoints = ['/v1/embeddings', '/v1/classify'] as const;

type Endpoint = (typeof endpoints)[number];

interface BatchOptions {
  readonly endpoint?: string;
  readonly out?: string;
  readonly errors?: string;
  readonly interval: number;
}

const ended = new Set(['completed', 'failed', 'expired', 'cancelled']);

function endpointOf(text: string, given: string | undefined): Endpoint {
  let url = given;
  if (url === undefined) {
    const first = text.split('\n').find((line) => line.trim() !== '') ?? '{}';
    url = ((JSON.parse(first) as { url?: unknown }).url as string | undefined) ?? '';
  }
  if (!(endpoints as readonly string[]).includes(url)) {
    throw new UsageError(`the endpoint must be one of ${endpoints.join(', ')} (got ${JSON.stringify(url)})`);
  }
  return url as Endpoint;
}

async function start(
  api: ModalFuseClient,
  path: string,
  text: string,
  endpoint: Endpoint,
): Promise<BatchView> {
  const file = new File([text], basename(path), { type: 'application/jsonl' });
  const stored = await ok(api.files.v1.files.$post({ form: { purpose: 'batch', file } }));
  const json = { input_file_id: stored.id, endpoint, completion_window: '24h' as const };
  return ok(api.batches.v1.batches.$post({ json }));
}

function progress(context: Context): (batch: BatchView) => void {
  if (!context.io.interactive || context.json()) return () => undefined;
  const bar = new SingleBar({
    format: 'batch [{bar}] {value}/{total} lines {status}',
    stream: process.stderr,
  });
  let started = false;
  return (batch) => {
    const { total, completed, failed } = batch.request_counts;
    if (!started) bar.start(total, 0, { status: batch.status });
    started = true;
    bar.update(completed + failed, { status: batch.status });
    if (ended.has(batch.status)) bar.stop();
  };
}

async function wait(
  api: ModalFuseClient,
  batch: BatchView,
  context: Context,
  intervalMs: number,
): Promise<BatchView> {
  const show = progress(context);
  let current = batch;
  show(current);
  while (!ended.has(current.status) && !context.signal?.aborted) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    current = await ok(api.batches.v1.batches[':id'].$get({ param: { id: current.id } }));
    show(current);
  }
  return current;
}

async function download(api: ModalFuseClient, id: string | null, path: string): Promise<string | null> {
  if (id === null) return null;
  const response = await api.files.v1.files[':id'].content.$get({ param: { id } });
  if (!response.ok) throw await errorOf(response as unknown as Response);
  await writeFile(path, new Uint8Array(await response.arrayBuffer()));
  return path;
}

function summary(batch: BatchView, files: { output: string | null; errors: string | null }): string {
  const { total, completed, failed } = batch.request_counts;
  const rows = [
    ['batch', batch.id],
    ['status', batch.status],
    ['lines', `${total} (${completed} completed, ${failed} failed)`],
    ['output', files.output ?? '-'],
    ['errors', files.errors ?? '-'],
  ];
  const problems = (batch.errors?.data ?? []).map((e) => `line ${e.line ?? '-'}: ${e.code}: ${e.message}`);
  return [table(rows), ...problems].join('\n');
}

async function runBatch(context: Context, path: string, options: BatchOptions): Promise<void> {
  const text = await readFile(path, 'utf8');
  const api = context.api();
  const batch = await wait(
    api,
    await start(api, path, text, endpointOf(text, options.endpoint)),
    context,
    options.interval,
  );
  if (!ended.has(batch.status)) {
    context.io.err(`modalfuse: interrupted; batch ${batch.id} runs on (GET /v1/batches/${batch.id})`);
    return context.exit(exitCodes.interrupted);
  }
  const stem = join(dirname(path), basename(path).replace(/\.jsonl?$/, ''));
  const files = {
    output: await download(api, batch.output_file_id, options.out ?? `${stem}.output.jsonl`),
    errors: await download(api, batch.error_file_id, options.errors ?? `${stem}.errors.jsonl`),
  };
  context.io.out(context.json() ? JSON.stringify({ batch, files }, null, 2) : summary(batch, files));
  if (batch.status !== 'completed') context.exit(exitCodes.failure);
}

export function registerBatch(program: Command, context: Context, interval: (value: string) => number): void {
  program
    .command('batch <file>')
    .description(
      'run a JSONL file of requests as a batch, wait for it and download its output and error files',
    )
    .option('-e, --endpoint <url>', `${endpoints.join(' or ')} (default: the first line's url)`)
    .option('-o, --out <file>', 'where the output goes (default: <file stem>.output.jsonl)')
    .option('--errors <file>', 'where the error file goes (default: <file stem>.errors.jsonl)')
    .option('-i, --interval <ms>', 'how often to ask how the batch is doing', interval, 500)
    .action((path: string, options: BatchOptions) => runBatch(context, path, options));
}
