/**
 * @module
 * The benchmark's HTTP client: `node:http` over kept-alive connections, one per client loop. It shares the two
 * cores with the server it measures, and `fetch` (undici) cost about 3 CPU ms to post a 600 KB tensor and 2 for
 * a sentence, where this costs under 1 — CPU the server rows would otherwise lose to their own load generator.
 */
import { Agent, request } from 'node:http';

export interface Poster {
  /** POSTs `body` to `path`; resolves with the status once the whole response has been read. */
  post(path: string, body: Uint8Array, headers: Record<string, string>): Promise<number>;
  /** Closes the connections. */
  close(): void;
}

export function poster(baseUrl: string, connections: number): Poster {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(baseUrl);
  const post = (path: string, body: Uint8Array, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const outgoing = request(
        {
          host: hostname,
          port,
          path,
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': String(body.byteLength) },
        },
        (response) => {
          response.on('data', () => undefined);
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  return { post, close: () => agent.destroy() };
}
