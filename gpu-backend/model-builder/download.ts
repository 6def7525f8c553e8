/**
 * @module
 * `npm run models -- --download`: fetches a missing or wrong source file from its canonical URL (or from
 * `MODALFUSE_MODELS_BASE_URL`, a mirror holding the files by name), streaming to a temporary file while hashing,
 * and moves it into place only when its sha256 is the expected one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { SourceFileError, type Source } from './sources.ts';

export interface DownloadOptions {
  /** A mirror base URL: the file is fetched from `${baseUrl}/${file}` instead of its canonical URL. */
  baseUrl?: string;
  /** Gives up after this long (default 10 minutes). */
  timeoutMs?: number;
}

export function downloadUrl(source: Source, baseUrl?: string): string {
  return baseUrl ? `${baseUrl.replace(/\/+$/, '')}/${source.file}` : source.url;
}

async function fetchBody(url: string, timeoutMs: number, file: string): Promise<ReadableStream<Uint8Array>> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : error;
    throw new SourceFileError(`${file}: download from ${url} failed: ${String(reason)}`);
  }
  if (!response.ok || !response.body) {
    throw new SourceFileError(
      `${file}: download from ${url} failed: HTTP ${response.status} ${response.statusText}`,
    );
  }
  return response.body;
}

/** Downloads `source` into `dir` (created if needed) and returns its path; a wrong hash leaves nothing behind. */
export async function downloadSource(
  source: Source,
  dir: string,
  options: DownloadOptions = {},
): Promise<string> {
  const url = downloadUrl(source, options.baseUrl);
  const body = await fetchBody(url, options.timeoutMs ?? 600_000, source.file);
  await mkdir(dir, { recursive: true });
  const target = join(dir, source.file);
  const temp = join(dir, `.${source.file}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as NodeReadableStream), hashing, createWriteStream(temp));
    const found = hash.digest('hex');
    if (found !== source.sha256) {
      throw new SourceFileError(
        `${source.file}: the download from ${url} has sha256 ${found}, expected ${source.sha256}; nothing was saved. ` +
          'The server sent a different or damaged file: check the URL (MODALFUSE_MODELS_BASE_URL) and retry.',
      );
    }
    await rename(temp, target);
    return target;
  } catch (error) {
    if (error instanceof SourceFileError) throw error;
    throw new SourceFileError(
      `${source.file}: download from ${url} failed while saving to ${dir}: ${String(error)}`,
    );
  } finally {
    await rm(temp, { force: true });
  }
}
