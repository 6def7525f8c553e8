/**
 * @module
 * Fetches a missing source file from its canonical URL (or from `MODALFUSE_MODELS_BASE_URL`, a mirror holding the
 * files by name) with the project's one downloader (`hub-pull/resumable.ts`: timeouts, progress, loopback-only at
 * test time), into a temporary file beside the target that is moved into place only when its sha256 is the
 * expected one, so a partial or corrupt download is never used and nothing is left behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DownloadError, downloadToPart, type ProgressSink } from '../hub-pull/resumable.ts';
import { SourceFileError, sha256File, type Source } from './sources.ts';

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

/** The downloader's error as the model builder words it: the file, the URL, and how far it got. */
function failure(source: Source, url: string, error: unknown): unknown {
  if (!(error instanceof DownloadError)) return error;
  const of = error.total === undefined ? '' : ` of ${error.total}`;
  const far = error.received === undefined ? '' : ` after ${error.received}${of} bytes; nothing was saved`;
  return new SourceFileError(`${source.file}: download from ${url} failed: ${error.message}${far}`);
}

/** Downloads `source` into `dir` (created if needed) and returns its path; a failure leaves nothing behind. */
export async function downloadSource(
  source: Source,
  dir: string,
  options: DownloadOptions = {},
): Promise<string> {
  const url = downloadUrl(source, options.baseUrl);
  await mkdir(dir, { recursive: true });
  const target = join(dir, source.file);
  const temp = join(dir, `.${source.file}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    const { progress, answerTimeoutMs, stallTimeoutMs } = options;
    await downloadToPart(url, temp, { label: source.file, progress, answerTimeoutMs, stallTimeoutMs }).catch(
      (error: unknown) => {
        throw failure(source, url, error);
      },
    );
    const found = await sha256File(temp);
    if (found !== source.sha256) {
      throw new SourceFileError(
        `${source.file}: the download from ${url} has sha256 ${found}, expected ${source.sha256}; nothing was saved. ` +
          'The server sent a different or damaged file: check the URL (MODALFUSE_MODELS_BASE_URL) and retry.',
      );
    }
    await rename(temp, target);
    return target;
  } finally {
    await rm(temp, { force: true });
  }
}
