/**
 * @module
 * The one downloader, for `models pull` and for the default models' source files (`model-builder/download.ts`):
 * streams a URL into a part file with progress, gives up on a server that has not answered within
 * `answerTimeoutMs` (15 s) or stops sending for `stallTimeoutMs` (30 s), and with `resume` continues a part left by
 * an earlier attempt with `Range: bytes=<have>-` (206 appends; a server that ignores ranges answers 200 and the
 * file starts over; 416 means the part is already whole). Under `MODALFUSE_DOWNLOADS=loopback-only` (set by the test
 * configuration: tests never download models) only a server on this machine is asked. Callers check the hash and
 * move the part into place.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';

/** Where progress goes (a cli-progress bar in the CLI; nothing in tests). */
export interface ProgressSink {
  start(label: string, total: number, done: number): void;
  update(done: number): void;
  stop(): void;
}

export interface DownloadOptions {
  readonly label: string;
  readonly progress?: ProgressSink | undefined;
  /** A 404 is then "not there" (false) instead of an error. */
  readonly optional?: boolean;
  /** Continue the bytes already in the part file (kept after a failure) instead of starting over. */
  readonly resume?: boolean;
  readonly answerTimeoutMs?: number | undefined;
  readonly stallTimeoutMs?: number | undefined;
}

/** A failed download: the reason in words, and once bytes were flowing how many had arrived (of how many). */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  readonly received: number | undefined;
  readonly total: number | undefined;

  constructor(reason: string, progress?: { received: number; total: number | undefined }) {
    super(reason);
    this.received = progress?.received;
    this.total = progress?.total;
  }
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

function checkAllowed(url: string): void {
  if (process.env.MODALFUSE_DOWNLOADS !== 'loopback-only' || loopbackHosts.has(new URL(url).hostname)) return;
  throw new DownloadError(
    'tests download nothing (MODALFUSE_DOWNLOADS=loopback-only): run `npm run models` once to fetch the model files',
  );
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}

async function sizeOf(path: string): Promise<number> {
  return existsSync(path) ? (await stat(path)).size : 0;
}

async function answer(url: string, have: number, controller: AbortController, timeoutMs: number) {
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${timeoutMs / 1000} s`)),
    timeoutMs,
  );
  try {
    const headers: Record<string, string> = have > 0 ? { range: `bytes=${have}-` } : {};
    return await fetch(url, { headers, redirect: 'follow', signal: controller.signal });
  } catch (error) {
    throw new DownloadError(reasonOf(controller.signal.aborted ? controller.signal.reason : error));
  } finally {
    clearTimeout(timer);
  }
}

interface Transfer {
  readonly controller: AbortController;
  readonly start: number;
  readonly total: number | undefined;
}

/** Writes the body to `part` (appending after `start` bytes), aborting the fetch when bytes stop coming. */
async function save(
  body: ReadableStream<Uint8Array>,
  part: string,
  transfer: Transfer,
  options: DownloadOptions,
) {
  const { controller, start, total } = transfer;
  const stallMs = options.stallTimeoutMs ?? 30_000;
  const stall = () => controller.abort(new Error(`no data for ${stallMs / 1000} s`));
  const out = createWriteStream(part, { flags: start > 0 ? 'a' : 'w' });
  options.progress?.start(options.label, total ?? 0, start);
  let done = start;
  let timer = setTimeout(stall, stallMs);
  try {
    for await (const chunk of body) {
      clearTimeout(timer);
      timer = setTimeout(stall, stallMs);
      if (!out.write(chunk)) await once(out, 'drain');
      done += chunk.length;
      options.progress?.update(done);
    }
  } catch (error) {
    const reason = reasonOf(controller.signal.aborted ? controller.signal.reason : error);
    throw new DownloadError(reason, { received: done, total });
  } finally {
    clearTimeout(timer);
    options.progress?.stop();
    out.end();
    await once(out, 'close');
  }
}

/** Downloads `url` into `part`; false when an optional file does not exist. Throws a {@link DownloadError}. */
export async function downloadToPart(url: string, part: string, options: DownloadOptions): Promise<boolean> {
  checkAllowed(url);
  const have = options.resume ? await sizeOf(part) : 0;
  const controller = new AbortController();
  const response = await answer(url, have, controller, options.answerTimeoutMs ?? 15_000);
  if (response.status === 404 && options.optional) {
    await response.body?.cancel();
    return false;
  }
  // The part already holds the whole file: the hash check that follows decides whether it is right.
  if (response.status === 416 && have > 0) return true;
  if ((response.status !== 200 && response.status !== 206) || !response.body) {
    await response.body?.cancel();
    throw new DownloadError(`HTTP ${response.status} ${response.statusText}`);
  }
  const start = response.status === 206 ? have : 0;
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const total = Number.isFinite(length) ? start + length : undefined;
  await save(response.body, part, { controller, start, total }, options);
  return true;
}
