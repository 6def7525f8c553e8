import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitBody, readBody } from './body.ts';

const MAX = 1000;
/** Why the last `readBody` failed, if it did. */
let failed: Promise<string> | undefined;

/** Echoes what `readBody` saw: the byte count, a checksum and where `?align=` landed in the buffer. */
function echoApp(): Hono {
  const app = new Hono();
  app.use(limitBody(MAX, (c) => c.json({ error: 'too large' }, 413)));
  app.post('/echo', async (c) => {
    const align = Number(c.req.query('align') ?? 0);
    const reading = readBody(c, align);
    failed = reading.then(
      () => 'read',
      (error: Error) => error.message,
    );
    const body = await reading;
    const sum = body.reduce((total, byte) => total + byte, 0);
    return c.json({ size: body.byteLength, sum, alignedAt: (body.byteOffset + align) % 8 });
  });
  return app;
}

const bytes = (count: number) => Uint8Array.from({ length: count }, (_, i) => (i * 7) % 256);
const sumOf = (data: Uint8Array) => data.reduce((total, byte) => total + byte, 0);

function chunked(data: Uint8Array): RequestInit {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(data.subarray(0, 10));
      controller.enqueue(data.subarray(10));
      controller.close();
    },
  });
  return { method: 'POST', body, duplex: 'half' } as RequestInit;
}

describe('request bodies on a Node server', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer(getRequestListener(echoApp().fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads the exact bytes, with the given offset on an 8-byte boundary', async () => {
    for (const align of [0, 3, 13]) {
      const data = bytes(900);
      const response = await fetch(`${url}?align=${align}`, { method: 'POST', body: data });
      expect(await response.json()).toEqual({ size: 900, sum: sumOf(data), alignedAt: 0 });
    }
  });

  it('an empty body is zero bytes', async () => {
    const response = await fetch(url, { method: 'POST', body: new Uint8Array(0) });
    expect(await response.json()).toMatchObject({ size: 0, sum: 0 });
  });

  it('refuses a declared length over the limit with 413', async () => {
    const response = await fetch(url, { method: 'POST', body: bytes(MAX + 1) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'too large' });
  });

  it('counts a chunked body as it streams: over the limit 413, within it read whole', async () => {
    const over = await fetch(url, chunked(bytes(MAX + 1)));
    expect(over.status).toBe(413);
    const data = bytes(MAX);
    const within = await fetch(url, chunked(data));
    expect(await within.json()).toMatchObject({ size: MAX, sum: sumOf(data) });
  });

  it('fails the read, not hangs, when the client goes away before its declared body ends', async () => {
    failed = undefined;
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 900\r\n\r\n' + 'x'.repeat(10));
    await expect.poll(() => failed !== undefined).toBe(true);
    socket.destroy();
    expect(await failed).not.toBe('read');
  });
});
