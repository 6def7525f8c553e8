/**
 * @module
 * The lines of a JSONL body as they arrive, never the whole body in memory: a line over `maxLineBytes` or the
 * body past `maxLines` lines or `maxBytes` bytes is a 413 problem as soon as it is seen. Blank lines are skipped
 * (a final newline is usual) but still counted, so that line numbers are the file's.
 */
import { ApiError } from '../problem.ts';

export interface LineLimits {
  readonly maxLines: number;
  readonly maxLineBytes: number;
  readonly maxBytes: number;
}

export interface Line {
  readonly number: number;
  readonly text: string;
}

function tooLarge(code: string, detail: string, limit: number): ApiError {
  return new ApiError(413, code, detail, { extensions: { limit } });
}

export async function* jsonlLines(
  body: ReadableStream<Uint8Array>,
  limits: LineLimits,
): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let buffered = '';
  let bytes = 0;
  let number = 0;
  const line = (text: string): Line | undefined => {
    number++;
    if (number > limits.maxLines) {
      throw tooLarge(
        'too-many-lines',
        `the file is over the limit of ${limits.maxLines} lines`,
        limits.maxLines,
      );
    }
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    return trimmed.trim() === '' ? undefined : { number, text: trimmed };
  };
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (bytes > limits.maxBytes) {
      throw tooLarge(
        'body-too-large',
        `the file is over the limit of ${limits.maxBytes} bytes`,
        limits.maxBytes,
      );
    }
    buffered += decodeChunk(decoder, chunk, number + 1);
    let end = buffered.indexOf('\n');
    while (end >= 0) {
      const next = line(buffered.slice(0, end));
      if (next !== undefined) yield next;
      buffered = buffered.slice(end + 1);
      end = buffered.indexOf('\n');
    }
    if (buffered.length > limits.maxLineBytes) {
      const detail = `line ${number + 1} is over the limit of ${limits.maxLineBytes} bytes`;
      throw tooLarge('line-too-long', detail, limits.maxLineBytes);
    }
  }
  const last = line(buffered + decodeChunk(decoder, undefined, number + 1));
  if (last !== undefined) yield last;
}

function decodeChunk(decoder: TextDecoder, chunk: Uint8Array | undefined, line: number): string {
  try {
    return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
  } catch {
    throw new ApiError(400, 'malformed-line', `line ${line}: not UTF-8`, { extensions: { line } });
  }
}
