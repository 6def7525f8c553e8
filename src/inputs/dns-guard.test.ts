/**
 * @module
 * DNS-rebinding protection against an imitation of a DNS-over-HTTPS resolver (JSON API): names whose A or AAAA
 * answers hold any non-public address are refused (IPv4-mapped IPv6 and CNAME chains included, whether the
 * resolver follows the chain or not), names that do not resolve are the client's 422, and every way the resolver
 * can fail closes the door with a 502.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../problem.ts';
import { checkResolvesPublic, maxCnameHops, type DohTransport } from './dns-guard.ts';

type Record = { name: string; type: number; data: string };
type Zone = Readonly<{ [query: string]: readonly Record[] | number }>;

const A = 1;
const AAAA = 28;
const CNAME = 5;

/** Answers `name/type` from the zone (a number is a DNS status); records every question. */
function resolver(zone: Zone): { transport: DohTransport; asked: string[] } {
  const asked: string[] = [];
  const transport: DohTransport = (url, init) => {
    expect(new Headers(init.headers).get('accept')).toBe('application/dns-json');
    const question = `${url.searchParams.get('name') ?? ''}/${url.searchParams.get('type') ?? ''}`;
    asked.push(question);
    const entry = zone[question] ?? [];
    const body =
      typeof entry === 'number' ? { Status: entry } : { Status: 0, Answer: entry.length ? entry : undefined };
    return Promise.resolve(Response.json(body, { headers: { 'content-type': 'application/dns-json' } }));
  };
  return { transport, asked };
}

const a = (name: string, data: string): Record => ({ name, type: A, data });
const aaaa = (name: string, data: string): Record => ({ name, type: AAAA, data });
const cname = (name: string, data: string): Record => ({ name, type: CNAME, data });

async function outcome(host: string, transport: DohTransport): Promise<ApiError | 'allowed'> {
  try {
    await checkResolvesPublic(host, { dohUrl: 'https://doh.test/dns-query', transport });
    return 'allowed';
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

describe('checkResolvesPublic', () => {
  it('allows a name whose every A and AAAA address is public, asking for both', async () => {
    const { transport, asked } = resolver({
      'cdn.example/A': [a('cdn.example', '93.184.216.34'), a('cdn.example', '8.8.8.8')],
      'cdn.example/AAAA': [aaaa('cdn.example', '2606:2800:220:1:248:1893:25c8:1946')],
    });
    expect(await outcome('CDN.example.', transport)).toBe('allowed');
    expect(asked.sort()).toEqual(['cdn.example/A', 'cdn.example/AAAA']);
  });

  it.each([
    ['a private IPv4 among public ones', { A: ['93.184.216.34', '10.0.0.5'] }],
    ['loopback', { A: ['127.0.0.1'] }],
    ['the metadata service', { A: ['169.254.169.254'] }],
    ['CGNAT', { A: ['100.64.3.4'] }],
    ['an IPv6 ULA beside a public IPv4', { A: ['8.8.8.8'], AAAA: ['fd12:3456::1'] }],
    ['IPv6 link-local', { AAAA: ['fe80::1'] }],
    ['IPv6 loopback', { AAAA: ['::1'] }],
    ['IPv4-mapped IPv6, dotted', { AAAA: ['::ffff:127.0.0.1'] }],
    ['IPv4-mapped IPv6, hex', { AAAA: ['::ffff:a9fe:a9fe'] }],
    ['NAT64 of a private address', { AAAA: ['64:ff9b::10.1.2.3'] }],
    ['an address that does not parse', { A: ['not-an-address'] }],
  ])('refuses a name resolving to %s', async (_, answers: { A?: string[]; AAAA?: string[] }) => {
    const zone: Zone = {
      'evil.example/A': (answers.A ?? []).map((data) => a('evil.example', data)),
      'evil.example/AAAA': (answers.AAAA ?? []).map((data) => aaaa('evil.example', data)),
    };
    expect(await outcome('evil.example', resolver(zone).transport)).toMatchObject({
      status: 400,
      code: 'url-not-allowed',
    });
  });

  it('allows an IPv4-mapped public address', async () => {
    const zone: Zone = { 'ok.example/AAAA': [aaaa('ok.example', '::ffff:8.8.8.8')] };
    expect(await outcome('ok.example', resolver(zone).transport)).toBe('allowed');
  });

  it('checks the end of a CNAME chain the resolver followed', async () => {
    const zone = (data: string): Zone => ({
      'www.example/A': [
        cname('www.example', 'edge.cdn.example.'),
        cname('edge.cdn.example', 'pop.cdn.example.'),
        a('pop.cdn.example', data),
      ],
    });
    expect(await outcome('www.example', resolver(zone('93.184.216.34')).transport)).toBe('allowed');
    expect(await outcome('www.example', resolver(zone('192.168.0.10')).transport)).toMatchObject({
      code: 'url-not-allowed',
    });
  });

  it('follows a CNAME chain the resolver did not, and refuses CNAMEs to local names', async () => {
    const { transport, asked } = resolver({
      'www.example/A': [cname('www.example', 'lb.example.')],
      'lb.example/A': [a('lb.example', '172.20.0.3')],
    });
    expect(await outcome('www.example', transport)).toMatchObject({ code: 'url-not-allowed' });
    expect(asked).toContain('lb.example/A');
    const internal = resolver({ 'www.example/A': [cname('www.example', 'db.internal.')] });
    expect(await outcome('www.example', internal.transport)).toMatchObject({ code: 'url-not-allowed' });
  });

  it('gives up on a CNAME loop with a 502', async () => {
    const { transport, asked } = resolver({
      'ping.example/A': [cname('ping.example', 'pong.example.')],
      'pong.example/A': [cname('pong.example', 'ping.example.')],
    });
    expect(await outcome('ping.example', transport)).toMatchObject({
      status: 502,
      code: 'dns-resolution-failed',
    });
    expect(asked.filter((q) => q.endsWith('/A')).length).toBe(maxCnameHops + 1);
  });

  it('answers 422 for a name that does not exist or has no address', async () => {
    const missing = resolver({ 'gone.example/A': 3, 'gone.example/AAAA': 3 });
    expect(await outcome('gone.example', missing.transport)).toMatchObject({
      status: 422,
      code: 'url-fetch-failed',
    });
    expect(await outcome('empty.example', resolver({}).transport)).toMatchObject({ status: 422 });
  });

  it('fails closed (502) whatever goes wrong with the resolver', async () => {
    const answers: DohTransport[] = [
      resolver({ 'x.example/A': [a('x.example', '8.8.8.8')], 'x.example/AAAA': 2 }).transport,
      () => Promise.resolve(new Response('busy', { status: 503 })),
      () => Promise.resolve(new Response('<html>captive portal</html>')),
      () => Promise.resolve(Response.json({ Answer: 'none' })),
      () => Promise.reject(new TypeError('network connection lost')),
      () => Promise.reject(new DOMException('timed out', 'TimeoutError')),
    ];
    for (const transport of answers) {
      const result = await outcome('x.example', transport);
      expect(result).toMatchObject({ status: 502, code: 'dns-resolution-failed' });
      expect((result as ApiError).message).toMatch(/could not resolve x\.example safely/);
    }
  });

  it('fails closed when the configured resolver is not a URL', async () => {
    const error = await checkResolvesPublic('x.example', { dohUrl: 'cloudflare-dns.com' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ status: 502, code: 'dns-resolution-failed' });
    expect((error as Error).message).toMatch(/DOH_URL/);
  });

  it('asks once per host when checks share a memo, failures included', async () => {
    const { transport, asked } = resolver({
      'cdn.example/A': [a('cdn.example', '8.8.8.8')],
      'bad.example/A': 2,
    });
    const options = {
      dohUrl: 'https://doh.test/dns-query',
      transport,
      memo: new Map<string, Promise<void>>(),
    };
    await Promise.all([
      checkResolvesPublic('cdn.example', options),
      checkResolvesPublic('CDN.example.', options),
    ]);
    const failures = await Promise.allSettled([1, 2].map(() => checkResolvesPublic('bad.example', options)));
    expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect(asked.sort()).toEqual(['bad.example/A', 'bad.example/AAAA', 'cdn.example/A', 'cdn.example/AAAA']);
  });

  it('asks nothing about IP literals (the URL guard checked them)', async () => {
    const { transport, asked } = resolver({});
    expect(await outcome('93.184.216.34', transport)).toBe('allowed');
    expect(await outcome('[2606:4700::1111]', transport)).toBe('allowed');
    expect(asked).toEqual([]);
  });
});
