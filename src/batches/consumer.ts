/**
 * @module
 * The queue consumer (`queue()` beside `fetch` in `src/index.ts`): each message is a chunk of a batch's lines. The
 * batch's object says whether to run it and which lines already have results (a redelivery runs only the rest);
 * the lines are read from the input file by byte range and run through the app (`run-line.ts`); what is settled
 * is recorded, and if any line failed on our side the message is retried after a backoff — until the queue's
 * `max_retries`, after which it lands on the dead-letter queue (a queue whose name ends in `-dlq`), whose
 * consumer writes the chunk's unfinished lines to the error file. An input file deleted while its batch runs fails
 * the lines not yet read, once (`input_file_deleted`). No line is lost, none recorded twice.
 */
import { log } from '../log.ts';
import { ApiError } from '../problem.ts';
import { Tenant } from '../tenants/tenant.ts';
import type { BatchObject } from './batch-object.ts';
import type { ChunkMessage } from './chunks.ts';
import { FileStore } from './files.ts';
import { batchLimits, retryDelaySeconds } from './limits.ts';
import { resultLine, type LineResult } from './record.ts';
import { runLine, type AppFetch } from './run-line.ts';
import { spillLarge, spillPrefix } from './spill.ts';
import type { BatchLine } from './schema.ts';

interface Work {
  readonly fetch: AppFetch;
  readonly env: Env;
  readonly ctx: ExecutionContext;
}

const decoder = new TextDecoder();

/** The chunk's lines, read from the input file in one ranged read. */
async function readLines(files: FileStore, message: ChunkMessage): Promise<BatchLine[]> {
  const [offset] = message.lines[0] ?? [0];
  const [lastOffset, lastLength] = message.lines.at(-1) ?? [0, 0];
  const object = await files.content(message.file, { offset, length: lastOffset + lastLength - offset });
  const bytes = new Uint8Array(await object.arrayBuffer());
  return message.lines.map(
    ([start, length]) =>
      JSON.parse(decoder.decode(bytes.subarray(start - offset, start - offset + length))) as BatchLine,
  );
}

interface LineError {
  readonly code: string;
  readonly message: string;
}

/** Every line of the chunk still without a result goes to the error file with `error`; the chunk is done. */
async function settlePending(
  object: DurableObjectStub<BatchObject>,
  chunk: number,
  error: LineError,
): Promise<void> {
  const pending = await object.pending(chunk);
  const results: LineResult[] = pending.map(({ line, customId }) => ({
    line,
    outcome: 'error',
    text: resultLine(customId, null, error),
  }));
  await object.record(chunk, results, true);
}

/** The input file was deleted while the batch ran: the client's doing, so its lines fail once, unretried. */
const inputDeleted = (file: string): LineError => ({
  code: 'input_file_deleted',
  message: `the input file ${file} was deleted before these requests were read`,
});

/** Runs what is left of a chunk; true when every line of it has a result. */
async function runChunk(work: Work, tenant: Tenant, message: ChunkMessage): Promise<boolean> {
  const object = work.env.BATCH_OBJECTS.getByName(tenant.ownedName(message.batch));
  const claim = await object.claim(message.chunk);
  if (!claim.run) return true;
  const done = new Set(claim.done);
  const lines = await readLines(new FileStore(work.env.BATCH_FILES, tenant), message).catch(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    },
  );
  if (lines === undefined) {
    await settlePending(object, message.chunk, inputDeleted(message.file));
    return true;
  }
  const context = { env: work.env, ctx: work.ctx, tenant };
  const runs = await Promise.all(
    lines.map((line, i) => {
      const index = message.first + i;
      return done.has(index) ? undefined : runLine(work.fetch, context, index, line);
    }),
  );
  const settled = runs.flatMap((run) => (run && !run.retry ? [run.result] : []));
  const results = await spillLarge(work.env.BATCH_FILES, spillPrefix(tenant, message.batch), settled);
  const complete = runs.every((run) => run === undefined || !run.retry);
  await object.record(message.chunk, results, complete);
  return complete;
}

/** Dead-lettered: the chunk's unfinished lines go to the error file. */
async function settleDead(work: Work, tenant: Tenant, message: Message<ChunkMessage>): Promise<void> {
  const object = work.env.BATCH_OBJECTS.getByName(tenant.ownedName(message.body.batch));
  await settlePending(object, message.body.chunk, {
    code: 'backend_unavailable',
    message: 'the inference backend stayed unavailable through every retry of this request',
  });
}

async function handle(work: Work, message: Message<ChunkMessage>, dead: boolean): Promise<void> {
  const tenant = Tenant.of(message.body.tenant);
  if (tenant === undefined) return message.ack();
  try {
    if (dead) await settleDead(work, tenant, message);
    const complete = dead || (await runChunk(work, tenant, message.body));
    if (complete) return message.ack();
  } catch (error) {
    log('warn', 'batch chunk failed; retrying', {
      batch: message.body.batch,
      chunk: message.body.chunk,
      error: String(error),
    });
  }
  message.retry({ delaySeconds: retryDelaySeconds(batchLimits(work.env), message.attempts) });
}

export function batchConsumer(fetch: AppFetch) {
  return async function queue(
    batch: MessageBatch<ChunkMessage>,
    env: Env,
    ctx: ExecutionContext,
  ): Promise<void> {
    const dead = batch.queue.endsWith('-dlq');
    const work = { fetch, env, ctx };
    await Promise.all(batch.messages.map((message) => handle(work, message, dead)));
  };
}
