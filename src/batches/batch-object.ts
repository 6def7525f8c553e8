/**
 * @module
 * A batch's Durable Object: one per batch (named by its tenant and id, `store.ts`), the one place its state
 * changes. It holds the batch, the queue's chunks and one row per request, whose result is written once. It
 * queues the chunks itself, and sends again from its alarm, with backoff, what the queue refused. A
 * redelivered message finds its lines recorded and runs only the others, and a result recorded twice is dropped.
 * When every line has a result (or, cancelling, every chunk has been seen), it finalizes in an alarm — writing the
 * output and error files to R2 under ids fixed by the batch's, retried by the runtime if that fails — and an alarm
 * at `expires_at` ends a batch that ran out of time (`expired`, its unfinished lines in the error file as
 * `batch_expired`). A batch not yet ended always has an alarm: one lost to a crash is set again by the next call.
 * Results too big for a row are kept in R2 (`spill.ts`).
 */
import { DurableObject } from 'cloudflare:workers';
import { log } from '../log.ts';
import { refusal, type Answer } from '../tasks/rpc.ts';
import { Tenant } from '../tenants/tenant.ts';
import { sendLimit, type ChunkMessage } from './chunks.ts';
import { FileStore } from './files.ts';
import { batchFileId } from './ids.ts';
import { createTables } from './object-tables.ts';
import { tallyOf, type Tally } from './tally.ts';
import { fileBody } from './result-files.ts';
import { deleteSpilled, spillPrefix } from './spill.ts';
import { batchLimits, retryDelaySeconds } from './limits.ts';
import { nowSeconds, resultLine, terminalStatuses, type BatchRecord, type LineResult } from './record.ts';
import type { Batch, BatchStatus } from './schema.ts';

/** How long a cancelled batch waits for chunks in flight (OpenAI: up to 10 minutes). */
const cancelGraceMs = 10 * 60_000;

export type Claim = { readonly run: false } | { readonly run: true; readonly done: number[] };

/** A chunk as the Worker hands it over: its message and its requests' custom_ids. */
export interface ChunkStart {
  readonly message: ChunkMessage;
  readonly customIds: readonly string[];
}

export class BatchObject extends DurableObject<Env> {
  #record: BatchRecord | undefined;
  /** Failed attempts to queue the chunks in a row, for the backoff. */
  #sendFailures = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    createTables(ctx.storage.sql);
  }

  #sql() {
    return this.ctx.storage.sql;
  }

  #current(): BatchRecord | undefined {
    if (this.#record !== undefined) return this.#record;
    const row = this.#sql().exec<{ record: string }>('SELECT record FROM batch').toArray()[0];
    this.#record = row && (JSON.parse(row.record) as BatchRecord);
    return this.#record;
  }

  #save(record: BatchRecord): void {
    this.#sql().exec('INSERT OR REPLACE INTO batch (k, record) VALUES (0, ?)', JSON.stringify(record));
    this.#record = record;
  }

  /** The batch as OpenAI shows it; undefined before {@link start}. */
  async view(): Promise<Batch | undefined> {
    const record = this.#current();
    if (record === undefined) return undefined;
    await this.#ensureAlarm();
    const shown = Object.entries(record).filter(([key]) => key !== 'tenant' && key !== 'finalTo');
    return { ...(Object.fromEntries(shown) as Omit<Batch, keyof Tally>), ...tallyOf(this.#sql()) };
  }

  /**
   * Stores a new batch: its chunks and their requests' custom_ids (none for one that failed validation), then
   * queues the chunks. What the queue refuses is sent again from the alarm, with backoff, until the batch expires:
   * the batch is answered as created either way.
   */
  async start(record: BatchRecord, chunks: readonly ChunkStart[]): Promise<Batch> {
    let line = 0;
    chunks.forEach(({ message, customIds }, chunk) => {
      this.#sql().exec(
        'INSERT INTO chunks (chunk, lines, seen, message, sent) VALUES (?, ?, 0, ?, 0)',
        chunk,
        customIds.length,
        JSON.stringify(message),
      );
      for (const id of customIds)
        this.#sql().exec('INSERT INTO lines (line, chunk, custom_id) VALUES (?, ?, ?)', line++, chunk, id);
    });
    this.#save(record);
    // In the same output gate as the save: a crash while queueing cannot leave the batch without its alarm.
    if (!terminalStatuses.has(record.status)) await this.ctx.storage.setAlarm(Date.now());
    await this.#queueChunks(record);
    return (await this.view()) as Batch;
  }

  /** Self-heal: a batch not yet ended always has an alarm (one lost to a crash is set again, due now). */
  async #ensureAlarm(): Promise<void> {
    const record = this.#current();
    if (record === undefined || terminalStatuses.has(record.status)) return;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now());
  }

  /** Sends the chunks not yet queued, then sets the alarm: soon again if the queue refused, else at expiry. */
  async #queueChunks(record: BatchRecord): Promise<void> {
    try {
      await this.#sendUnsent();
      this.#sendFailures = 0;
    } catch (error) {
      this.#sendFailures += 1;
      const delay = retryDelaySeconds(batchLimits(this.env), this.#sendFailures) * 1000;
      log('warn', 'queueing batch chunks failed; retrying', { batch: record.id, error: String(error) });
      const retryAt = Date.now() + delay;
      const expiry = record.expires_at === null ? retryAt : record.expires_at * 1000;
      return this.ctx.storage.setAlarm(Math.min(retryAt, expiry));
    }
    if (record.expires_at !== null) await this.ctx.storage.setAlarm(record.expires_at * 1000);
  }

  /** Queues the unsent chunks, at most {@link sendLimit} per send, each marked sent once its send succeeded. */
  async #sendUnsent(): Promise<void> {
    for (;;) {
      const rows = this.#sql()
        .exec<{ chunk: number; message: string }>(
          'SELECT chunk, message FROM chunks WHERE sent = 0 ORDER BY chunk LIMIT ?',
          sendLimit,
        )
        .toArray();
      if (rows.length === 0) return;
      const messages = rows.map((row) => ({
        body: JSON.parse(row.message) as ChunkMessage,
        contentType: 'json' as const,
      }));
      await this.env.BATCH_QUEUE.sendBatch(messages);
      const last = rows.at(-1)?.chunk ?? -1;
      this.#sql().exec('UPDATE chunks SET sent = 1 WHERE sent = 0 AND chunk <= ?', last);
    }
  }

  /** Whether a chunk's lines should run, and which already have results. */
  async claim(chunk: number): Promise<Claim> {
    await this.#ensureAlarm();
    const record = this.#current();
    if (record?.status !== 'in_progress') {
      this.#sql().exec('UPDATE chunks SET seen = 1 WHERE chunk = ?', chunk);
      await this.#settle();
      return { run: false };
    }
    const done = this.#sql()
      .exec<{ line: number }>('SELECT line FROM lines WHERE chunk = ? AND outcome IS NOT NULL', chunk)
      .toArray()
      .map((row) => row.line);
    return { run: true, done };
  }

  /** The chunk's lines in order, for the dead-letter consumer: their custom_ids and whether they have results. */
  pending(chunk: number): { line: number; customId: string }[] {
    return this.#sql()
      .exec<{ line: number; custom_id: string }>(
        'SELECT line, custom_id FROM lines WHERE chunk = ? AND outcome IS NULL ORDER BY line',
        chunk,
      )
      .toArray()
      .map((row) => ({ line: row.line, customId: row.custom_id }));
  }

  /** Records results; a line that has one keeps it. `complete`: the chunk's message is done with. */
  async record(chunk: number, results: readonly LineResult[], complete: boolean): Promise<void> {
    const status = this.#current()?.status;
    // Finalizing streams the lines to R2: nothing may change them any more.
    const open = status === 'in_progress' || status === 'cancelling';
    const kept = open ? results.filter((result) => this.#recordLine(chunk, result)) : [];
    if (open && complete) this.#sql().exec('UPDATE chunks SET seen = 1 WHERE chunk = ?', chunk);
    if (open) await this.#settle();
    await this.#ensureAlarm();
    // A result kept in R2 that no line took (recorded already, or too late) would be an orphan.
    const dropped = results.filter((result) => result.spilled !== undefined && !kept.includes(result));
    if (dropped.length > 0) await this.env.BATCH_FILES.delete(dropped.map((result) => result.text));
  }

  /** Stores a line's result unless it has one; whether it did. */
  #recordLine(chunk: number, result: LineResult): boolean {
    const { line, outcome, text, tokens = 0, cachedTokens = 0, spilled = null } = result;
    const cursor = this.#sql().exec(
      `UPDATE lines SET outcome = ?, text = ?, tokens = ?, cached_tokens = ?, spilled = ?
         WHERE line = ? AND chunk = ? AND outcome IS NULL`,
      outcome,
      text,
      tokens,
      cachedTokens,
      spilled,
      line,
      chunk,
    );
    return cursor.rowsWritten > 0;
  }

  async cancel(): Promise<Answer<Batch>> {
    const record = this.#current();
    if (record === undefined) return refusal(404, 'unknown-batch', 'there is no such batch');
    if (record.status === 'in_progress' || record.status === 'validating') {
      this.#save({ ...record, status: 'cancelling', cancelling_at: nowSeconds(), finalTo: 'cancelled' });
      // A chunk never queued will never be delivered: nothing to wait for.
      this.#sql().exec('UPDATE chunks SET seen = 1 WHERE sent = 0');
      await this.ctx.storage.setAlarm(Date.now() + cancelGraceMs);
      await this.#settle();
    } else if (record.status !== 'cancelling' && record.status !== 'cancelled') {
      return refusal(409, 'batch-not-cancellable', `a batch that is ${record.status} cannot be cancelled`);
    }
    return { ok: true, value: (await this.view()) as Batch };
  }

  /** Begins finalizing once nothing is left to wait for: every line has a result, or (cancelling) every chunk was seen. */
  async #settle(): Promise<void> {
    const record = this.#current();
    const open = (query: string) => (this.#sql().exec<{ n: number }>(query).one().n ?? 0) > 0;
    if (record?.status === 'in_progress' && !open('SELECT count(*) AS n FROM lines WHERE outcome IS NULL')) {
      await this.#finalizeTo(record, 'completed');
    } else if (record?.status === 'cancelling' && !open('SELECT count(*) AS n FROM chunks WHERE seen = 0')) {
      await this.#finalizeTo(record, 'cancelled');
    }
  }

  async #finalizeTo(record: BatchRecord, finalTo: BatchStatus): Promise<void> {
    this.#save({ ...record, status: 'finalizing', finalizing_at: nowSeconds(), finalTo });
    await this.ctx.storage.setAlarm(Date.now());
  }

  override async alarm(): Promise<void> {
    const record = this.#current();
    if (record === undefined || terminalStatuses.has(record.status)) return;
    if (record.status === 'finalizing') return this.#writeFiles(record);
    if (record.status === 'cancelling') return this.#finalizeTo(record, 'cancelled');
    if (record.expires_at !== null && Date.now() >= record.expires_at * 1000) return this.#expire(record);
    await this.#queueChunks(record);
    // Every line may have its result already, its settling lost to a crash.
    await this.#settle();
  }

  /** Out of time: every line without a result gets a `batch_expired` error. */
  async #expire(record: BatchRecord): Promise<void> {
    const message = 'this request could not be executed before the completion window expired';
    const rows = this.#sql().exec<{ line: number; custom_id: string }>(
      'SELECT line, custom_id FROM lines WHERE outcome IS NULL',
    );
    for (const { line, custom_id: id } of rows.toArray()) {
      const text = resultLine(id, null, { code: 'batch_expired', message });
      this.#sql().exec("UPDATE lines SET outcome = 'error', text = ? WHERE line = ?", text, line);
    }
    await this.#finalizeTo(record, 'expired');
  }

  /** The output and error files (each only if it has lines), then the final status. */
  async #writeFiles(record: BatchRecord): Promise<void> {
    const tenant = Tenant.of(record.tenant) as Tenant;
    const files = new FileStore(this.env.BATCH_FILES, tenant);
    const write = async (outcome: 'output' | 'error') => {
      const body = fileBody(this.#sql(), this.env.BATCH_FILES, outcome);
      if (body === undefined) return null;
      const id = batchFileId(record.id, outcome);
      return (await files.putAs(id, `${record.id}_${outcome}.jsonl`, 'batch_output', body)).id;
    };
    const output_file_id = await write('output');
    const error_file_id = await write('error');
    // Copied into the output file: the results kept in R2 go, before the batch shows as ended.
    await deleteSpilled(this.env.BATCH_FILES, spillPrefix(tenant, record.id));
    const status = record.finalTo ?? 'completed';
    const at = nowSeconds();
    const times =
      status === 'completed'
        ? { completed_at: at }
        : status === 'expired'
          ? { expired_at: at }
          : { cancelled_at: at };
    this.#save({ ...record, ...times, status, output_file_id, error_file_id, finalTo: undefined });
  }
}
