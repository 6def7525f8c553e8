/**
 * @module
 * Reads what is left of a request body before its answer goes out. An answer sent while the client is still
 * uploading (a 400 decided from the first bytes, a 401 or 413 from the headers) lets the runtime close the
 * connection on the unread rest, and the client then sees a reset instead of the problem. Up to `maxBytes` are
 * read and dropped; past that the rest is cancelled (a body that large was refused by its Content-Length).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

async function drain(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<void> {
  const reader = body.getReader();
  let read = 0;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      read += next.value.byteLength;
      if (read > maxBytes) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The client went away mid-upload: nothing left to protect.
  } finally {
    reader.releaseLock();
  }
}

export function drainBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return async function drainBody(c, next) {
    const original = c.req.raw;
    await next();
    // Middleware may have swapped the request (the body limit wraps its stream), so look at both.
    for (const request of new Set([original, c.req.raw])) {
      const { body } = request;
      if (body !== null && !request.bodyUsed && !body.locked) await drain(body, maxBytes);
    }
  };
}
