/**
 * @module
 * A local imitation of a DNS-over-HTTPS resolver's JSON API (`GET /dns-query?name=…&type=A|AAAA` with `accept:
 * application/dns-json`, as Cloudflare's answers), serving a small zone for the URL-input tests: a public name, a
 * private one, one whose AAAA is an IPv4-mapped loopback, a CNAME it does not follow to a private name, one that
 * answers SERVFAIL; anything else is NXDOMAIN.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type Answer = { name: string; type: number; data: string };

const A = 1;
const AAAA = 28;
const CNAME = 5;

/** `name/type` → records, or a DNS status for a failure. */
export const dohZone: Readonly<Record<string, readonly Answer[] | number>> = {
  'public.example/A': [{ name: 'public.example', type: A, data: '93.184.216.34' }],
  'private.example/A': [{ name: 'private.example', type: A, data: '10.0.0.7' }],
  'mapped.example/A': [{ name: 'mapped.example', type: A, data: '8.8.8.8' }],
  'mapped.example/AAAA': [{ name: 'mapped.example', type: AAAA, data: '::ffff:127.0.0.1' }],
  'chain.example/A': [{ name: 'chain.example', type: CNAME, data: 'hidden.example.' }],
  'hidden.example/A': [{ name: 'hidden.example', type: A, data: '192.168.1.20' }],
  'broken.example/A': 2,
};

/** The resolver's JSON answer: the records, a failure status, no records (NOERROR) or NXDOMAIN (3). */
function answer(name: string, type: string): object {
  const entry = dohZone[`${name}/${type}`];
  if (typeof entry === 'number') return { Status: entry };
  if (entry !== undefined) return { Status: 0, Answer: entry };
  const known = `${name}/A` in dohZone || `${name}/AAAA` in dohZone;
  return { Status: known ? 0 : 3 };
}

export async function startDohServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://doh');
    if (url.pathname !== '/dns-query' || request.headers.accept !== 'application/dns-json') {
      response.writeHead(400).end('Bad Request');
      return;
    }
    const name = (url.searchParams.get('name') ?? '').toLowerCase();
    const body = answer(name, url.searchParams.get('type') ?? '');
    response.writeHead(200, { 'content-type': 'application/dns-json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dns-query`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
