/**
 * @module
 * DNS-rebinding protection for URL inputs: before the edge fetches `https://name/…` for a client, it resolves the
 * name itself and refuses it if ANY address is not public (private, loopback, link-local, ULA, CGNAT, metadata,
 * multicast, reserved — the ranges of `url-guard.ts`, IPv4-mapped and NAT64 IPv6 included). Workers have no DNS
 * API, so the name is resolved over DNS-over-HTTPS (the JSON API, `accept: application/dns-json`; `DOH_URL`,
 * default Cloudflare's), A and AAAA in parallel; CNAME targets are checked as names, and a chain the resolver did
 * not follow is followed here (at most {@link maxCnameHops}). Fails closed: a resolver that cannot be reached,
 * times out, answers an error status or something that is not DNS JSON gives a 502, never a fetch.
 *
 * What remains: the fetch resolves the name again on its own (Workers cannot connect to a checked address while
 * keeping the name for TLS), so a name with a zero TTL can answer this check with a public address and the fetch
 * with a private one a moment later (a time-of-check/time-of-use window). In production that window reaches
 * nothing: a Worker's fetch leaves from Cloudflare's network, which cannot reach the operator's private networks;
 * a self-hosted workerd should still sit behind an egress proxy that refuses private ranges.
 */
import { z } from '@hono/zod-openapi';
import { ApiError } from '../problem.ts';
import { checkPublicName, isIpLiteral, isPublicAddress } from './url-guard.ts';

export const defaultDohUrl = 'https://cloudflare-dns.com/dns-query';

/** CNAMEs followed here when the resolver's answer stops at one. */
export const maxCnameHops = 8;

/** How the resolver is reached: the Worker's `fetch`, or in tests an imitation. */
export type DohTransport = (url: URL, init: RequestInit) => Promise<Response>;

export interface DnsOptions {
  /** The DNS-over-HTTPS JSON endpoint; default {@link defaultDohUrl}. */
  readonly dohUrl?: string | undefined;
  readonly transport?: DohTransport | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * Checks already made, by host, shared by one request's inputs so that a batch of URLs on one host asks the
   * resolver once (and every input of the request sees the same answer).
   */
  readonly memo?: Map<string, Promise<void>> | undefined;
}

const recordTypes = { A: 1, AAAA: 28, CNAME: 5 } as const;

/** DNS response codes: 0 NOERROR, 3 NXDOMAIN (the name does not exist); others are failures. */
const noError = 0;
const nxDomain = 3;

const DohAnswerSchema = z.object({
  Status: z.number().int(),
  Answer: z.array(z.object({ name: z.string(), type: z.number().int(), data: z.string() })).optional(),
});

type DohAnswer = z.infer<typeof DohAnswerSchema>;

function resolverFailed(host: string, why: string): ApiError {
  return new ApiError(502, 'dns-resolution-failed', `could not resolve ${host} safely: ${why}`);
}

async function query(host: string, name: string, type: 'A' | 'AAAA', options: DnsOptions) {
  let url: URL;
  try {
    url = new URL(options.dohUrl ?? defaultDohUrl);
  } catch {
    throw resolverFailed(host, 'the configured resolver (DOH_URL) is not a URL');
  }
  url.searchParams.set('name', name);
  url.searchParams.set('type', type);
  const transport = options.transport ?? ((target, init) => fetch(target, init));
  let response: Response;
  try {
    response = await transport(url, { headers: { accept: 'application/dns-json' }, signal: options.signal });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw resolverFailed(
      host,
      timedOut ? 'the resolver did not answer in time' : 'the resolver is unreachable',
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw resolverFailed(host, `the resolver answered ${response.status}`);
  }
  const parsed = DohAnswerSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw resolverFailed(host, 'the resolver did not answer DNS JSON');
  return parsed.data;
}

const bare = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** The chain's last CNAME target when the answer holds no address, else undefined. */
function unfollowedCname(answer: DohAnswer, typeCode: number): string | undefined {
  const records = answer.Answer ?? [];
  const cnames = records.filter((record) => record.type === recordTypes.CNAME).map((r) => bare(r.data));
  for (const target of cnames) checkPublicName(target);
  if (records.some((record) => record.type === typeCode)) return undefined;
  return cnames.at(-1);
}

/** Every address of one type the name leads to; [] when it does not exist or has none of that type. */
async function addressesOf(host: string, type: 'A' | 'AAAA', options: DnsOptions): Promise<string[]> {
  const typeCode = recordTypes[type];
  let name = host;
  for (let hop = 0; hop <= maxCnameHops; hop++) {
    const answer = await query(host, name, type, options);
    if (answer.Status === nxDomain) return [];
    if (answer.Status !== noError)
      throw resolverFailed(host, `the resolver answered DNS status ${answer.Status}`);
    const next = unfollowedCname(answer, typeCode);
    if (next === undefined)
      return (answer.Answer ?? []).filter((record) => record.type === typeCode).map((record) => record.data);
    name = next;
  }
  throw resolverFailed(host, `more than ${maxCnameHops} CNAMEs`);
}

/** Resolves a URL's host and refuses it unless every address is public (IP literals were checked already). */
export function checkResolvesPublic(hostname: string, options: DnsOptions = {}): Promise<void> {
  const host = bare(hostname);
  if (isIpLiteral(host)) return Promise.resolve();
  const known = options.memo?.get(host);
  if (known !== undefined) return known;
  const check = resolveAndCheck(host, options);
  options.memo?.set(host, check);
  return check;
}

async function resolveAndCheck(host: string, options: DnsOptions): Promise<void> {
  const found = await Promise.all([addressesOf(host, 'A', options), addressesOf(host, 'AAAA', options)]);
  const addresses = found.flat();
  if (addresses.length === 0)
    throw new ApiError(422, 'url-fetch-failed', `could not fetch from ${host}: the name has no address`);
  if (!addresses.every(isPublicAddress))
    throw new ApiError(400, 'url-not-allowed', `the host ${host} resolves to an address that is not public`);
}
