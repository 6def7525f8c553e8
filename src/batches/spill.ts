/**
 * @module
 * Results too big for a batch object's row, or a chunk's results too big for one call to it. A SQLite-backed
 * Durable Object holds at most 2 MB in a string or a row (SQLITE_TOOBIG), and a line's answer can be more
 * (embeddings of many inputs); a call to the object carries at most 32 MiB. So the consumer writes such a result
 * (and the biggest of a chunk's, until the rest fit one call) to R2, `tenant/batch-results/<batch>/<line>-<random>`, and the object stores the key and the byte count;
 * finalizing copies it into the output file, then deletes every key under the batch's prefix. The random part
 * means a result delivered twice never overwrites the one the object kept; the loser's key is deleted.
 */
import type { Tenant } from '../tenants/tenant.ts';
import type { LineResult } from './record.ts';

/** Results up to this many bytes stay in the object's row (well under its 2 MB, beside the other columns). */
export const inlineResultBytes = 1024 * 1024;

/**
 * What one chunk's record call may carry inline in all: a call to a Durable Object is at most 32 MiB serialized, and
 * a chunk of lines (16 by default, `BATCH_LINES_PER_MESSAGE` more) each just under {@link inlineResultBytes} could
 * pass it — the call then fails every time, and the chunk dead-letters as the backend's fault.
 */
export const inlineCallBytes = 8 * 1024 * 1024;

const encoder = new TextEncoder();

export function spillPrefix(tenant: Tenant, batch: string): string {
  return tenant.ownedName(`batch-results/${batch}/`);
}

/** Which results go to R2: each over {@link inlineResultBytes}, then the biggest until the rest fit one call. */
function toSpill(sizes: readonly number[]): Set<number> {
  let inline = sizes.reduce((sum, size) => sum + size, 0);
  const spilled = new Set<number>();
  const biggestFirst = sizes.map((_, i) => i).sort((a, b) => (sizes[b] ?? 0) - (sizes[a] ?? 0));
  for (const i of biggestFirst) {
    const size = sizes[i] ?? 0;
    if (size <= inlineResultBytes && inline <= inlineCallBytes) break;
    spilled.add(i);
    inline -= size;
  }
  return spilled;
}

/** The results with those too big for the object's row, or for one call to it, written to R2 (their text a key). */
export async function spillLarge(
  bucket: R2Bucket,
  prefix: string,
  results: readonly LineResult[],
): Promise<LineResult[]> {
  const bytes = results.map((result) => encoder.encode(result.text));
  const spilled = toSpill(bytes.map((encoded) => encoded.byteLength));
  return Promise.all(
    results.map(async (result, i) => {
      const encoded = bytes[i];
      if (!spilled.has(i) || encoded === undefined) return result;
      const key = `${prefix}${result.line}-${crypto.randomUUID()}`;
      await bucket.put(key, encoded);
      return { ...result, text: key, spilled: encoded.byteLength };
    }),
  );
}

/** Deletes every spilled result of a batch (R2 deletes at most 1000 keys at a time). */
export async function deleteSpilled(bucket: R2Bucket, prefix: string): Promise<void> {
  for (;;) {
    const listed = await bucket.list({ prefix, limit: 1000 });
    if (listed.objects.length > 0) await bucket.delete(listed.objects.map((object) => object.key));
    if (!listed.truncated) return;
  }
}
