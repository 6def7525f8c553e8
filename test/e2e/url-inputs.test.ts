/**
 * @module
 * URL inputs vetted through a DNS-over-HTTPS resolver (`DOH_URL`, here a local imitation serving a test zone):
 * the Worker resolves the name before it fetches, refuses names whose addresses are not public (plain, IPv4-mapped
 * IPv6, at the end of a CNAME chain the resolver did not follow), answers 422 for names with no address, and fails
 * closed (502) when the resolver fails or cannot be reached. A public name passes the check and is fetched —
 * which, tests having no network, the test harness answers 502 for (so 422 url-fetch-failed).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import type { Bindings } from '../../src/env.ts';
import { expectOpenAIError, fetchWorker } from './helpers.ts';

const dohUrl = inject('dohUrl');

function embedUrl(url: string, overrides: Partial<Bindings> = {}): Promise<Response> {
  const request = new Request('http://edge.test/v1/embeddings', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mobilenetv2-int8', input: url }),
  });
  return fetchWorker(request, { ...env, DOH_URL: dohUrl, ...overrides });
}

describe('URL inputs and DNS', () => {
  it.each([
    ['a private address', 'https://private.example/cat.png'],
    ['an IPv4-mapped loopback in its AAAA', 'https://mapped.example/cat.png'],
    ['a CNAME to a private address', 'https://chain.example/cat.png'],
  ])('refuses a name that resolves to %s, before fetching', async (_, url) => {
    const error = await expectOpenAIError(await embedUrl(url), 400);
    expect(error.code).toBe('url-not-allowed');
    expect(error.message).toMatch(/resolves to an address that is not public/);
  });

  it('fetches a name whose addresses are all public', async () => {
    const error = await expectOpenAIError(await embedUrl('https://public.example/cat.png'), 422);
    expect(error.code).toBe('url-fetch-failed');
    expect(error.message).toMatch(/the server answered 502/);
  });

  it('answers 422 for a name with no address', async () => {
    const error = await expectOpenAIError(await embedUrl('https://nothing.example/cat.png'), 422);
    expect(error.message).toMatch(/has no address/);
  });

  it('fails closed with 502 when the resolver fails or is out of reach', async () => {
    const failing = await expectOpenAIError(await embedUrl('https://broken.example/cat.png'), 502);
    expect(failing.code).toBe('dns-resolution-failed');
    const dead = await embedUrl('https://public.example/cat.png', {
      DOH_URL: 'http://127.0.0.1:9/dns-query',
    });
    expect((await expectOpenAIError(dead, 502)).code).toBe('dns-resolution-failed');
  });
});
