/**
 * @module
 * A batch's requests cut into the queue's messages: a chunk is up to `linesPerMessage` consecutive requests, a
 * message names it by its place and carries the byte ranges of its lines in the input file (never the lines: a
 * message stays small whatever the lines hold).
 */
import type { LineRef } from './validate.ts';

export interface ChunkMessage {
  readonly tenant: string;
  readonly batch: string;
  readonly file: string;
  readonly chunk: number;
  /** The index of the chunk's first request in the batch. */
  readonly first: number;
  /** `[offset, length]` of each request's line in the input file. */
  readonly lines: readonly (readonly [number, number])[];
}

export function chunksOf(lines: readonly LineRef[], size: number): LineRef[][] {
  const chunks: LineRef[][] = [];
  for (let start = 0; start < lines.length; start += size) chunks.push(lines.slice(start, start + size));
  return chunks;
}

/** Queues take at most 100 messages per `sendBatch`. */
export const sendLimit = 100;

/** The queue's message of each chunk, in order. */
export function chunkMessages(
  base: Omit<ChunkMessage, 'chunk' | 'first' | 'lines'>,
  chunks: readonly LineRef[][],
): ChunkMessage[] {
  let first = 0;
  return chunks.map((refs, chunk) => {
    const message: ChunkMessage = {
      ...base,
      chunk,
      first,
      lines: refs.map((ref) => [ref.offset, ref.length] as const),
    };
    first += refs.length;
    return message;
  });
}
