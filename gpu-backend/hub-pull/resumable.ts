/**
 * @module
 * A download that survives interruptions: bytes go to a `.part` file, and a later attempt asks for the rest with
 * `Range: bytes=<have>-` (206 appends; a server that ignores ranges answers 200 and the file starts over).
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

export interface ResumableOptions {
  readonly label: string;
  readonly progress?: ProgressSink | undefined;
  /** A 404 is then "not there" (false) instead of an error. */
  readonly optional?: boolean;
}

async function sizeOf(path: string): Promise<number> {
  return existsSync(path) ? (await stat(path)).size : 0;
}

/** Downloads `url` into `part`, resuming what is there; false when an optional file does not exist. */
export async function downloadResumable(
  url: string,
  part: string,
  options: ResumableOptions,
): Promise<boolean> {
  const have = await sizeOf(part);
  const response = await fetch(url, {
    headers: have > 0 ? { range: `bytes=${have}-` } : {},
    redirect: 'follow',
  });
  if (response.status === 404 && options.optional) return false;
  // The part already holds the whole file: the hash check that follows decides whether it is right.
  if (response.status === 416 && have > 0) return true;
  if (response.status !== 200 && response.status !== 206) {
    throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  }
  const resumed = response.status === 206;
  const start = resumed ? have : 0;
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
  options.progress?.start(options.label, Number.isFinite(length) ? start + length : 0, start);
  let done = start;
  try {
    if (!response.body) throw new Error(`GET ${url}: no body`);
    for await (const chunk of response.body) {
      if (!out.write(chunk)) await once(out, 'drain');
      done += (chunk as Uint8Array).length;
      options.progress?.update(done);
    }
  } finally {
    options.progress?.stop();
    out.end();
    await once(out, 'close');
  }
  return true;
}
