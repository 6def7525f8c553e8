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

/**
 * Reads `incoming` into one buffer whose byte `alignAt` lands on an 8-byte boundary. Plain stream events, not an
 * async iterator, which costs a promise and a tick per chunk (an image tensor arrives in several). Nothing is
 * allocated for bytes that have not arrived: a declared length is only a claim.
 */
function collect(incoming: IncomingMessage, alignAt: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.byteLength;
    };
    const onEnd = () => {
      done();
      const shift = (8 - (alignAt % 8)) % 8;
      const body = new Uint8Array(new ArrayBuffer(size + shift), shift, size);
      let offset = 0;
      for (const chunk of chunks) {
        body.set(chunk, offset);
        offset += chunk.byteLength;
      }
      resolve(body);
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => onError(new Error('the request was closed before its body ended'));
    const done = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** The whole body; on Node, `alignAt` (a byte offset into the body) lands on an 8-byte boundary. */
export async function readBody(c: Context, alignAt = 0): Promise<Uint8Array> {
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  if (!incoming || incoming.readableDidRead) return new Uint8Array(await c.req.arrayBuffer());
  return collect(incoming, alignAt);
}
