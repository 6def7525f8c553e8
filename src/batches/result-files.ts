/**
 * @module
 * A finished batch's output or error file, streamed from its object's `lines` table in line order: each result
 * from its row, or from R2 when it was too big for one (`spill.ts`). The length is summed first, as R2 needs it
 * for a stream.
 */

const encoder = new TextEncoder();
const newline = encoder.encode('\n');

/** Copies a result kept in R2 into the file; a lost one fails the write, which the alarm retries. */
async function copySpilled(
  bucket: R2Bucket,
  key: string,
  writer: WritableStreamDefaultWriter<Uint8Array>,
): Promise<void> {
  const object = await bucket.get(key);
  if (object === null) throw new Error(`a batch result is missing from R2: ${key}`);
  const reader = object.body.getReader();
  for (let part = await reader.read(); !part.done; part = await reader.read()) await writer.write(part.value);
  await writer.write(newline);
}

/** The lines of `outcome` as one stream of known length; undefined when there are none. */
export function fileBody(
  sql: SqlStorage,
  bucket: R2Bucket,
  outcome: 'output' | 'error',
): ReadableStream | undefined {
  const bytes = sql
    .exec<{ n: number | null }>(
      'SELECT sum(coalesce(spilled, length(CAST(text AS BLOB))) + 1) AS n FROM lines WHERE outcome = ?',
      outcome,
    )
    .one().n;
  if (!bytes) return undefined;
  const rows = sql.exec<{ text: string; spilled: number | null }>(
    'SELECT text, spilled FROM lines WHERE outcome = ? ORDER BY line',
    outcome,
  );
  const stream = new FixedLengthStream(bytes);
  const writer = stream.writable.getWriter();
  const pump = async () => {
    for (const { text, spilled } of rows) {
      if (spilled === null) await writer.write(encoder.encode(`${text}\n`));
      else await copySpilled(bucket, text, writer);
    }
    await writer.close();
  };
  // A failure aborts the stream, so that the R2 write fails with it and the alarm is retried.
  pump().catch((error: unknown) => writer.abort(error).catch(() => undefined));
  return stream.readable;
}
