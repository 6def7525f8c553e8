/**
 * @module
 * The HTTP server's life: listening (port 0 picks a free port) and draining. In-flight requests are counted
 * at the Node level, from the request's arrival until its response is fully written, so that a drain never
 * cuts a response short.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';

export interface RunningServer {
  readonly server: Server;
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** Requests received whose response has not finished. */
  inFlight(): number;
  /**
   * Stops accepting connections and waits for in-flight requests (at most `timeoutMs`), then closes every
   * connection. Resolves true when everything finished in time.
   */
  drain(timeoutMs: number): Promise<boolean>;
}

export async function listen(app: Hono, host: string, port: number): Promise<RunningServer> {
  const server = createServer(getRequestListener(app.fetch));
  let inFlight = 0;
  const idleWaiters = new Set<() => void>();
  server.on('request', (_request, response) => {
    inFlight++;
    response.once('close', () => {
      inFlight--;
      if (inFlight === 0) for (const wake of idleWaiters) wake();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const drain = async (timeoutMs: number): Promise<boolean> => {
    server.close();
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const finished = await new Promise<boolean>((resolve) => {
      if (inFlight === 0) return resolve(true);
      idleWaiters.add(() => resolve(true));
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    clearTimeout(timer);
    server.closeAllConnections();
    return finished;
  };
  return { server, port: (server.address() as AddressInfo).port, inFlight: () => inFlight, drain };
}

/** `http://host:port`, with brackets around an IPv6 host. */
export function serverUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
