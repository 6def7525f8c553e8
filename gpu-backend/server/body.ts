/**
 * @module
 * Request bodies: their size limit, and reading them. On Node an infer body is read straight from the socket
 * into one buffer: the web-stream path (`arrayBuffer()`) costs a copy per chunk plus a concatenation, which for
 * 600 KB image tensors was a large share of the main thread's time. The body is placed so that its binary tail
 * starts on an 8-byte boundary, so tensor decoding can take views rather than copies. Without a Node request
 * (`app.request` in tests) the standard `arrayBuffer()` is used.
 */
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** What `@hono/node-server` passes as the app's environment. */
interface NodeBindings {
  readonly incoming?: IncomingMessage;
}

/**
 * Refuses bodies over `maxSize` with `onError`. A declared `content-length` is checked without touching the
 * body (Node's parser never delivers more than it declares), so a route can still read it from the socket;
 * a chunked body is counted as it streams, by Hono's `bodyLimit`.
 */
export function limitBody(maxSize: number, onError: (c: Context) => Response): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize, onError });
  return async function limitBody(c, next) {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    if (Number(length) > maxSize) return onError(c);
    await next();
  };
}

/** The whole body; on Node, `alignAt` (a byte offset into the body) lands on an 8-byte boundary. */
export async function readBody(c: Context, alignAt = 0): Promise<Uint8Array> {
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  if (!incoming || incoming.readableDidRead) return new Uint8Array(await c.req.arrayBuffer());
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  const shift = (8 - (alignAt % 8)) % 8;
  const body = new Uint8Array(new ArrayBuffer(size + shift), shift, size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
