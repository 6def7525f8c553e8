/**
 * @module
 * Ids of files and batches (`file-…`, `batch_…`, as OpenAI's look) that sort newest first: the milliseconds until
 * a far date, zero-padded base 36, then randomness. R2 lists keys in ascending order, so a tenant's listing under
 * `tenant/files/` or `tenant/batches/` is already newest first, and `after` is R2's `startAfter`.
 */

/** 2^53 ms: far beyond any clock this runs on; its base 36 has 11 digits. */
const horizonMs = Number.MAX_SAFE_INTEGER;
const timeDigits = 11;

function sortableId(prefix: string, nowMs: number): string {
  const time = (horizonMs - nowMs).toString(36).padStart(timeDigits, '0');
  const random = crypto.randomUUID().replaceAll('-', '').slice(0, 16);
  return `${prefix}${time}${random}`;
}

export const newFileId = (nowMs = Date.now()) => sortableId('file-', nowMs);
export const newBatchId = (nowMs = Date.now()) => sortableId('batch_', nowMs);

/**
 * The id of a batch's output or error file, fixed by the batch's id so that a finalization retried writes the
 * same files again instead of new ones. It ends in a letter no random id has (those end in hex): it never
 * collides with an uploaded file's.
 */
export function batchFileId(batchId: string, outcome: 'output' | 'error'): string {
  return `file-${batchId.slice('batch_'.length, -1)}${outcome === 'output' ? 'o' : 'r'}`;
}

/** An id this API could have made (checked before it names an R2 key or a Durable Object). */
export const fileIdPattern = /^file-[0-9a-z]{27}$/;
export const batchIdPattern = /^batch_[0-9a-z]{27}$/;
