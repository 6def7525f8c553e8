/**
 * @module
 * Fetches a missing source file from its canonical URL (or from `MODALFUSE_MODELS_BASE_URL`, a mirror holding the
 * files by name): streamed to a temporary file beside the target while hashing, moved into place only when its
 * sha256 is the expected one, so a partial or corrupt download is never used. A server that does not answer within
 * 15 s, or stops sending for 30 s, is given up on. Under `MODALFUSE_DOWNLOADS=loopback-only` (set by the test
 * configuration: tests never download models) only a server on this machine is asked.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { ProgressSink } from '../hub-pull/resumable.ts';
import { SourceFileError, type Source } from './sources.ts';

export interface DownloadOptions {
  /** A mirror base URL: the file is fetched from `${baseUrl}/${file}` instead of its canonical URL. */
  baseUrl?: string | undefined;
  progress?: ProgressSink | undefined;
  /** Gives up when the response has not begun after this long (default 15 s). */
  answerTimeoutMs?: number;
  /** Gives up when no byte has arrived for this long (default 30 s). */
  stallTimeoutMs?: number;
}

export function downloadUrl(source: Source, baseUrl?: string): string {
  return baseUrl ? `${baseUrl.replace(/\/+$/, '')}/${source.file}` : source.url;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Refuses a URL off this machine when downloads are kept to loopback (at test time). */
function checkAllowed(url: string): void {
  if (process.env.MODALFUSE_DOWNLOADS !== 'loopback-only' || loopbackHosts.has(new URL(url).hostname)) return;
  throw new Error(
    'tests download nothing (MODALFUSE_DOWNLOADS=loopback-only): run `npm run models` once to fetch the model files',
  );
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}

async function fetchResponse(url: string, controller: AbortController, timeoutMs: number): Promise<Response> {
  checkAllowed(url);
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${timeoutMs / 1000} s`)),
    timeoutMs,
  );
  try {
    const response = await fetch(url, { redirect: 'follow', signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    return response;
  } finally {
    clearTimeout(timer);
  }
}

/** Passes bytes on while hashing and counting them; aborts the download when they stop coming. */
function meter(controller: AbortController, stallMs: number, onBytes: (total: number) => void) {
  const hash = createHash('sha256');
  let received = 0;
  const stall = () => controller.abort(new Error(`no data for ${stallMs / 1000} s`));
  let timer = setTimeout(stall, stallMs);
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      clearTimeout(timer);
      timer = setTimeout(stall, stallMs);
      hash.update(chunk);
      received += chunk.length;
      onBytes(received);
      done(null, chunk);
    },
    flush(done) {
      clearTimeout(timer);
      done();
    },
  });
  transform.once('close', () => clearTimeout(timer));
  return { transform, received: () => received, digest: () => hash.digest('hex') };
}

/** Downloads `source` into `dir` (created if needed) and returns its path; a failure leaves nothing behind. */
export async function downloadSource(
  source: Source,
  dir: string,
  options: DownloadOptions = {},
): Promise<string> {
  const url = downloadUrl(source, options.baseUrl);
  const failed = (reason: string) =>
    new SourceFileError(`${source.file}: download from ${url} failed: ${reason}`);
  const controller = new AbortController();
  const response = await fetchResponse(url, controller, options.answerTimeoutMs ?? 15_000).catch(
    (error: unknown) => {
      throw failed(reasonOf(error));
    },
  );
  const total = Number(response.headers.get('content-length') ?? Number.NaN);
  const progress = options.progress;
  progress?.start(source.file, Number.isFinite(total) ? total : 0, 0);
  const metered = meter(controller, options.stallTimeoutMs ?? 30_000, (done) => progress?.update(done));
  await mkdir(dir, { recursive: true });
  const target = join(dir, source.file);
  const temp = join(dir, `.${source.file}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    const body = Readable.fromWeb(response.body as NodeReadableStream);
    await pipeline(body, metered.transform, createWriteStream(temp)).catch((error: unknown) => {
      const of = Number.isFinite(total) ? ` of ${total}` : '';
      throw failed(`${reasonOf(error)} after ${metered.received()}${of} bytes; nothing was saved`);
    });
    const found = metered.digest();
    if (found !== source.sha256) {
      throw new SourceFileError(
        `${source.file}: the download from ${url} has sha256 ${found}, expected ${source.sha256}; nothing was saved. ` +
          'The server sent a different or damaged file: check the URL (MODALFUSE_MODELS_BASE_URL) and retry.',
      );
    }
    await rename(temp, target);
    return target;
  } finally {
    progress?.stop();
    await rm(temp, { force: true });
  }
}
