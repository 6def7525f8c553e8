/**
 * @module
 * Fetching URL inputs through a transport that imitates remote servers and an imitation DNS-over-HTTPS resolver
 * (tests have no network): redirects are followed by hand and every target goes through the URL guard and the DNS
 * check before it is fetched, hops are capped, and the deadline and the byte cap hold.
 */
import { describe, expect, it } from 'vitest';
import { AdapterInputError } from '../../adapters/errors.ts';
import { ApiError } from '../problem.ts';
import type { DohTransport } from './dns-guard.ts';
import { fetchUrlInput, type FetchLimits, type Transport } from './fetch-url.ts';

type Site = Record<string, () => Response>;

const redirect =
  (location: string, status = 302) =>
  () =>
    new Response(null, { status, headers: { location } });
const png = () =>
  new Response(new Uint8Array([137, 80, 78, 71]), { headers: { 'content-type': 'image/png' } });

/** Answers from the site map; records every URL asked for. */
function remote(site: Site): { transport: Transport; asked: string[] } {
  const asked: string[] = [];
  const transport: Transport = (url, init) => {
    asked.push(url.href);
    expect(init.redirect).toBe('manual');
    const page = site[url.href];
    return Promise.resolve(page === undefined ? new Response('not found', { status: 404 }) : page());
  };
  return { transport, asked };
}

/** A resolver answering one A record per name: public unless the name is listed; records every name asked. */
function dns(privateNames: readonly string[] = []): { transport: DohTransport; resolved: string[] } {
  const resolved: string[] = [];
  const transport: DohTransport = (url) => {
    const name = url.searchParams.get('name') ?? '';
    if (url.searchParams.get('type') !== 'A') return Promise.resolve(Response.json({ Status: 0 }));
    resolved.push(name);
    const data = privateNames.includes(name) ? '10.1.2.3' : '93.184.216.34';
    return Promise.resolve(Response.json({ Status: 0, Answer: [{ name, type: 1, data }] }));
  };
  return { transport, resolved };
}

const publicDns: FetchLimits['dns'] = { dohUrl: 'https://doh.test/dns-query', transport: dns().transport };

async function failure(
  text: string,
  transport: Transport,
  maxBytes = 1024,
  resolver = publicDns,
): Promise<unknown> {
  return fetchUrlInput(text, { maxBytes, timeoutMs: 1_000, transport, dns: resolver }).then(
    () => expect.unreachable(`${text} was fetched`),
    (error: unknown) => error,
  );
}

describe('fetchUrlInput', () => {
  it('follows redirects, relative ones included, to the input', async () => {
    const { transport, asked } = remote({
      'https://short.example/a': redirect('https://cdn.example/b', 301),
      'https://cdn.example/b': redirect('/images/cat.png', 307),
      'https://cdn.example/images/cat.png': png,
    });
    const input = await fetchUrlInput('https://short.example/a', {
      maxBytes: 1024,
      timeoutMs: 1_000,
      transport,
      dns: publicDns,
    });
    expect(input).toMatchObject({ kind: 'bytes', declaredType: 'image/png', filename: 'cat.png' });
    expect(asked).toHaveLength(3);
  });

  it.each([
    ['loopback', 'https://127.0.0.1/admin'],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data/'],
    ['a private network', 'https://10.0.0.7/x.png'],
    ['localhost', 'https://localhost/x.png'],
    ['plain http', 'http://cdn.example/x.png'],
    ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/x.png'],
  ])('refuses a redirect to %s without fetching it', async (_, target) => {
    const { transport, asked } = remote({ 'https://evil.example/x': redirect(target) });
    const error = await failure('https://evil.example/x', transport);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'url-not-allowed' });
    expect(asked).toEqual(['https://evil.example/x']);
  });

  it('gives up after three redirects', async () => {
    const { transport, asked } = remote({
      'https://loop.example/0': redirect('https://loop.example/1'),
      'https://loop.example/1': redirect('https://loop.example/2'),
      'https://loop.example/2': redirect('https://loop.example/3'),
      'https://loop.example/3': redirect('https://loop.example/4'),
      'https://loop.example/4': png,
    });
    const error = await failure('https://loop.example/0', transport);
    expect(error).toMatchObject({ status: 422, code: 'url-fetch-failed' });
    expect((error as Error).message).toMatch(/more than 3 redirects/);
    expect(asked).toHaveLength(4);
  });

  it('refuses a redirect without a usable Location, and an error status', async () => {
    const { transport } = remote({
      'https://a.example/none': () => new Response(null, { status: 302 }),
      'https://a.example/bad': redirect('https://[nope/'),
    });
    for (const url of ['https://a.example/none', 'https://a.example/bad', 'https://a.example/missing']) {
      expect(await failure(url, transport)).toMatchObject({ status: 422, code: 'url-fetch-failed' });
    }
  });

  it('stops reading at the byte cap, with or without a Content-Length', async () => {
    const stream = () =>
      new Response(
        new ReadableStream({
          pull: (controller) => controller.enqueue(new Uint8Array(512)),
        }),
      );
    const { transport } = remote({
      'https://big.example/declared': () => new Response(new Uint8Array(4096)),
      'https://big.example/endless': stream,
    });
    for (const url of ['https://big.example/declared', 'https://big.example/endless']) {
      const error = await failure(url, transport);
      expect(error).toBeInstanceOf(AdapterInputError);
      expect(error).toMatchObject({ code: 'too-large' });
    }
  });

  it('keeps one deadline for the whole fetch', async () => {
    const hang: Transport = (_, init) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    const error = await fetchUrlInput('https://slow.example/x', {
      maxBytes: 10,
      timeoutMs: 20,
      transport: hang,
      dns: publicDns,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 422, code: 'url-fetch-failed' });
    expect((error as Error).message).toMatch(/no answer within 20 ms/);
  });

  it('resolves every hop and refuses a name that resolves to a private address, without fetching it', async () => {
    const { transport, asked } = remote({
      'https://short.example/a': redirect('https://rebound.example/admin'),
      'https://rebound.example/admin': png,
    });
    const resolver = dns(['rebound.example', 'intranet.example']);
    const dnsOptions = { dohUrl: 'https://doh.test/dns-query', transport: resolver.transport };
    const redirected = await failure('https://short.example/a', transport, 1024, dnsOptions);
    expect(redirected).toMatchObject({ status: 400, code: 'url-not-allowed' });
    expect(resolver.resolved).toEqual(['short.example', 'rebound.example']);
    expect(asked).toEqual(['https://short.example/a']);
    const direct = await failure('https://intranet.example/x.png', transport, 1024, dnsOptions);
    expect(direct).toMatchObject({ status: 400, code: 'url-not-allowed' });
    expect(asked).toEqual(['https://short.example/a']);
  });

  it('fetches nothing when the resolver cannot be reached (fails closed)', async () => {
    const { transport, asked } = remote({ 'https://cdn.example/x.png': png });
    const down = { transport: () => Promise.reject(new TypeError('connection refused')) };
    const error = await failure('https://cdn.example/x.png', transport, 1024, down);
    expect(error).toMatchObject({ status: 502, code: 'dns-resolution-failed' });
    expect(asked).toEqual([]);
  });
});
