/**
 * @module
 * W3C Trace Context's `traceparent` header (`00-<trace id>-<parent id>-<flags>`), shared by the edge and the
 * backend: each hop keeps the caller's trace id, or starts a trace when the caller sent none (or a malformed
 * one, which the spec says to ignore), and names itself with a span id of its own.
 */

const header = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** Random bytes drawn 4 KiB at a time: a request needs 8 or 24, and each draw costs as much as a request's logging. */
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let used = 0;

function randomHex(bytes: number): string {
  // Filled on first use, never at module load (Workers refuse random values outside a request).
  if (used + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    used = 0;
  }
  let hex = '';
  for (const end = used + bytes; used < end; used++) hex += HEX[pool[used] ?? 0];
  return hex;
}

/** This hop's trace: the trace id and its own span, and the `traceparent` it sends on. */
export interface Trace {
  readonly traceId: string;
  readonly spanId: string;
  /** The caller's span, when it sent a valid `traceparent`. */
  readonly parentId?: string;
  readonly traceparent: string;
}

/** The trace of a hop that received `incoming` (a `traceparent` value, or nothing). */
export function continueTrace(incoming: string | null | undefined): Trace {
  const match = header.exec(incoming?.trim().toLowerCase() ?? '');
  const [, traceId, parentId, flags] = match ?? [];
  const valid =
    traceId !== undefined && !/^0+$/.test(traceId) && parentId !== undefined && !/^0+$/.test(parentId);
  const spanId = randomHex(8);
  if (!valid) {
    const fresh = randomHex(16);
    return { traceId: fresh, spanId, traceparent: `00-${fresh}-${spanId}-01` };
  }
  return { traceId, spanId, parentId, traceparent: `00-${traceId}-${spanId}-${flags ?? '01'}` };
}

/** A log line's trace fields: the trace, this hop's span, and the caller's when there was one. */
export function traceFields({ traceId, spanId, parentId }: Trace): Record<string, string> {
  return { traceId, spanId, ...(parentId === undefined ? {} : { parentId }) };
}
