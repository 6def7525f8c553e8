/**
 * @module
 * Results too big for a batch object's row. A SQLite-backed Durable Object holds at most 2 MB in a string or a
 * row (SQLITE_TOOBIG), and a line's answer can be more (embeddings of many inputs), so the consumer writes such a
 * result to R2, `tenant/batch-results/<batch>/<line>-<random>`, and the object stores the key and the byte count;
 * finalizing copies it into the output file, then deletes every key under the batch's prefix. The random part
 * means a result delivered twice never overwrites the one the object kept; the loser's key is deleted.
 */
import type { Tenant } from '../tenants/tenant.ts';
import type { LineResult } from './record.ts';

/** Results up to this many bytes stay in the object's row (well under its 2 MB, beside the other columns). */
export const inlineResultBytes = 1024 * 1024;

const encoder = new TextEncoder();

export function spillPrefix(tenant: Tenant, batch: string): string {
  return tenant.ownedName(`batch-results/${batch}/`);
}

/** Each result over {@link inlineResultBytes} written to R2, its text replaced by its key. */
export async function spillLarge(
  bucket: R2Bucket,
  prefix: string,
  results: readonly LineResult[],
): Promise<LineResult[]> {
  return Promise.all(
    results.map(async (result) => {
      const bytes = encoder.encode(result.text);
      if (bytes.byteLength <= inlineResultBytes) return result;
      const key = `${prefix}${result.line}-${crypto.randomUUID()}`;
      await bucket.put(key, bytes);
      return { ...result, text: key, spilled: bytes.byteLength };
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
