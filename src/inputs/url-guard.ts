/**
 * @module
 * Which URLs the edge agrees to fetch for a client. For now: `https` only, no credentials, and no host that
 * names this machine or a private network directly (`localhost`, single-label and `.local`/`.internal` names, IP
 * literals in loopback, private, link-local, CGNAT, multicast or reserved ranges, IPv6 included, and IPv6 forms
 * that carry a private IPv4: mapped, compatible `::a.b.c.d`, translated, NAT64, 6to4; Teredo is refused whole).
 *
 * The ranges are ipaddr.js's (IANA's special-purpose registries). Redirect targets go through the same check before
 * they are fetched (`fetch-url.ts`), and so does what a name resolves to (`dns-guard.ts`, over DNS-over-HTTPS, with
 * {@link isPublicAddress}).
 */
import ipaddr from 'ipaddr.js';
import { ApiError } from '../problem.ts';

/** ipaddr.js's names for the IPv4 ranges that are not publicly routable (its other ranges are public). */
const blockedIPv4Ranges: ReadonlySet<string> = new Set([
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal',
  'loopback',
  'carrierGradeNat',
  'private',
  'reserved',
]);

/** Well-known NAT64; the local-use 64:ff9b:1::/48, also `rfc6052` to ipaddr.js, may hide a private address. */
const nat64WellKnown = ipaddr.parseCIDR('64:ff9b::/96') as [ipaddr.IPv6, number];

const blockedNameSuffixes = ['.localhost', '.local', '.internal', '.home.arpa'];

function refuse(detail: string): never {
  throw new ApiError(400, 'url-not-allowed', detail);
}

function isPublicIPv4(address: ipaddr.IPv4): boolean {
  return !blockedIPv4Ranges.has(address.range());
}

/** The IPv4 address an IPv6 form carries (mapped, translated, well-known NAT64, 6to4), if any. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const bytes = address.toByteArray();
  switch (address.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return new ipaddr.IPv4(bytes.slice(12));
    case 'rfc6052':
      return address.match(nat64WellKnown) ? new ipaddr.IPv4(bytes.slice(12)) : undefined;
    case '6to4':
      return new ipaddr.IPv4(bytes.slice(2, 6)); // bits 16-47
    default:
      return undefined;
  }
}

/**
 * Only global unicast is public, and an embedded IPv4 must be public itself. Everything else is refused: Teredo
 * (its client address is obfuscated), documentation, discard-only, unique-local, link-local, multicast, and the
 * deprecated IPv4-compatible `::a.b.c.d` (never a real destination; `::` and `::1` fall in it too).
 */
function isPublicIPv6(address: ipaddr.IPv6): boolean {
  if (address.parts.slice(0, 6).every((part) => part === 0)) return false;
  if (address.range() === 'unicast') return true;
  const inner = embeddedIPv4(address);
  return inner !== undefined && isPublicIPv4(inner);
}

/** Whether an address from a DNS answer (dotted IPv4, or IPv6 in any spelling) is publicly routable. */
export function isPublicAddress(address: string): boolean {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return isPublicIPv4(ipaddr.IPv4.parse(address));
  return ipaddr.IPv6.isValid(address) && isPublicIPv6(ipaddr.IPv6.parse(address));
}

/** Whether a host is an IP literal (which needs no DNS); the URL parser has written IPv4 in dotted form. */
export function isIpLiteral(host: string): boolean {
  return host.startsWith('[') || ipaddr.IPv4.isValidFourPartDecimal(host);
}

/** Refuses a name that points at this machine or a private network by its form alone. */
export function checkPublicName(host: string): void {
  if (
    host === 'localhost' ||
    !host.includes('.') ||
    blockedNameSuffixes.some((suffix) => host.endsWith(suffix))
  ) {
    refuse(`the host ${host} is not a public name`);
  }
}

function checkHost(host: string): void {
  if (isIpLiteral(host)) {
    const address = host.startsWith('[') ? host.slice(1, -1) : host;
    if (!isPublicAddress(address)) refuse(`the host ${host} is not a public address`);
    return;
  }
  checkPublicName(host);
}

/** The parsed URL if the edge may fetch it; otherwise a 400 problem saying why. */
export function checkFetchableUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError(400, 'invalid-url', 'the input looks like a URL but does not parse as one');
  }
  if (url.protocol !== 'https:') refuse(`only https URLs are fetched, not ${url.protocol.slice(0, -1)}`);
  if (url.username !== '' || url.password !== '') refuse('URLs with credentials are not fetched');
  checkHost(url.hostname.toLowerCase().replace(/\.$/, ''));
  return url;
}
