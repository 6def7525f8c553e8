/**
 * @module
 * Which URLs the edge refuses to fetch for a client, including the spellings the URL parser normalises
 * (hex/short IPv4, IPv4-mapped IPv6) and names that point at this machine or a private network.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../problem.ts';
import { checkFetchableUrl } from './url-guard.ts';

function refusal(url: string): ApiError {
  try {
    checkFetchableUrl(url);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`${url} was allowed`);
}

describe('checkFetchableUrl', () => {
  it.each([
    'https://example.com/cat.png',
    'https://cdn.example.org:8443/a/b.wav?x=1',
    'https://93.184.216.34/cat.png',
    'https://[2606:2800:220:1:248:1893:25c8:1946]/cat.png',
  ])('allows the public https URL %s', (url) => {
    expect(checkFetchableUrl(url).href).toBe(new URL(url).href);
  });

  it.each([
    'http://example.com/cat.png',
    'ftp://example.com/cat.png',
    'file:///etc/passwd',
    'https://user:secret@example.com/cat.png',
  ])('refuses %s (scheme or credentials)', (url) => {
    expect(refusal(url)).toMatchObject({ status: 400, code: 'url-not-allowed' });
  });

  it.each([
    'https://localhost/x',
    'https://LOCALHOST./x',
    'https://api.localhost/x',
    'https://metadata/x',
    'https://printer.local/x',
    'https://db.internal/x',
    'https://127.0.0.1/x',
    'https://0x7f.1/x',
    'https://2130706433/x',
    'https://10.1.2.3/x',
    'https://172.16.0.1/x',
    'https://172.31.255.255/x',
    'https://192.168.1.1/x',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/x',
    'https://0.0.0.0/x',
    'https://224.0.0.1/x',
    'https://[::1]/x',
    'https://[::]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://[::ffff:10.0.0.1]/x',
    'https://[fe80::1]/x',
    'https://[fd00::1]/x',
    'https://[ff02::1]/x',
    'https://[64:ff9b::a00:1]/x',
    'https://[2002:c0a8:101::1]/x',
    'https://[::127.0.0.1]/x',
    'https://[::10.0.0.1]/x',
    'https://[::8.8.8.8]/x',
    'https://[::ffff:0:127.0.0.1]/x',
    'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x',
    'https://[2001::1]/x',
    'https://[64:ff9b:1::a00:1]/x',
    'https://[2001:db8::1]/x',
    'https://[100::1]/x',
    // Special-purpose ranges that ipaddr.js knows beyond the hand-kept list: documentation, benchmarking,
    // broadcast, deprecated site-local, ORCHIDv2.
    'https://192.0.2.10/x',
    'https://198.51.100.7/x',
    'https://203.0.113.9/x',
    'https://255.255.255.255/x',
    'https://[2001:2::1]/x',
    'https://[fec0::1]/x',
    'https://[2001:20::1]/x',
  ])('refuses the private or local host in %s', (url) => {
    expect(refusal(url)).toMatchObject({ status: 400, code: 'url-not-allowed' });
  });

  it('allows addresses just outside the private ranges', () => {
    expect(() => checkFetchableUrl('https://172.32.0.1/x')).not.toThrow();
    expect(() => checkFetchableUrl('https://11.0.0.1/x')).not.toThrow();
    expect(() => checkFetchableUrl('https://[::ffff:8.8.8.8]/x')).not.toThrow();
    expect(() => checkFetchableUrl('https://[64:ff9b::808:808]/x')).not.toThrow();
    expect(() => checkFetchableUrl('https://[2002:808:808::1]/x')).not.toThrow();
    expect(() => checkFetchableUrl('https://[2001:4860:4860::8888]/x')).not.toThrow();
    expect(() => checkFetchableUrl('https://[::ffff:0:8.8.8.8]/x')).not.toThrow();
    expect(() => checkFetchableUrl('https://192.0.3.1/x')).not.toThrow();
  });

  it('answers 400 invalid-url for what does not parse', () => {
    expect(refusal('https://exa mple.com/')).toMatchObject({ status: 400, code: 'invalid-url' });
  });
});
