/**
 * @module
 * Which URLs the edge agrees to fetch for a client. For now: `https` only, no credentials, and no host that
 * names this machine or a private network directly (`localhost`, single-label and `.local`/`.internal` names, IP
 * literals in loopback, private, link-local, CGNAT, multicast or reserved ranges, IPv6 included, and IPv6 forms
 * that carry a private IPv4: mapped, compatible `::a.b.c.d`, translated, NAT64, 6to4; Teredo is refused whole).
 *
 * Redirect targets go through the same check before they are fetched (`fetch-url.ts`), and so does what a name
 * resolves to (`dns-guard.ts`, over DNS-over-HTTPS, with {@link isPublicAddress}).
 */
import { ApiError } from '../problem.ts';

/** [first address, prefix length] of IPv4 ranges that are not publicly routable. */
const blockedIPv4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const blockedNameSuffixes = ['.localhost', '.local', '.internal', '.home.arpa'];

function refuse(detail: string): never {
  throw new ApiError(400, 'url-not-allowed', detail);
}

function parseIPv4(host: string): number | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255))
    return undefined;
  return parts.reduce((address, part) => address * 256 + Number(part), 0);
}

function isBlockedIPv4(address: number): boolean {
  return blockedIPv4.some(([first, prefix]) => {
    const base = parseIPv4(first) ?? 0;
    const size = 2 ** (32 - prefix);
    return address >= base && address < base + size;
  });
}

/** Eight 16-bit groups of an IPv6 literal as the URL parser serialises it (compressed, no embedded dots). */
function parseIPv6(host: string): number[] | undefined {
  const [head = '', tail, ...rest] = host.split('::');
  if (rest.length > 0) return undefined;
  const groups = (text: string) => (text === '' ? [] : text.split(':').map((group) => parseInt(group, 16)));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<number>(Math.max(zeros, 0)).fill(0), ...right];
  return all.length === 8 && all.every((group) => Number.isInteger(group) && group >= 0) ? all : undefined;
}

function embeddedIPv4(high: number, low: number): number {
  return high * 65536 + low;
}

/**
 * Prefixes refused outright: tunnelling and translation forms whose embedded IPv4 may be private or is not
 * recoverable (Teredo, local-use NAT64), documentation, discard-only, unique-local, link-local and multicast.
 * [first group, mask over it, second group or -1, mask over the second].
 */
const blockedIPv6Prefixes: readonly (readonly [number, number, number, number])[] = [
  [0x2001, 0xffff, 0x0000, 0xffff], // Teredo 2001::/32 (the client address is obfuscated; refuse all)
  [0x2001, 0xffff, 0x0db8, 0xffff], // documentation 2001:db8::/32
  [0x0064, 0xffff, 0xff9b, 0xffff], // NAT64 64:ff9b::/96 and local-use 64:ff9b:1::/48 (checked below)
  [0x0100, 0xffff, 0x0000, 0xffff], // discard-only 100::/64
  [0xfc00, 0xfe00, -1, 0],
  [0xfe80, 0xffc0, -1, 0],
  [0xff00, 0xff00, -1, 0],
];

/** The IPv4 address an IPv6 form carries in its last 32 bits (mapped, compatible, translated, NAT64), if any. */
function embeddedTail(groups: readonly number[]): number | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const zeroHead = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0;
  const tail = embeddedIPv4(g6, g7);
  if (zeroHead && g4 === 0 && (g5 === 0xffff || g5 === 0)) return tail; // IPv4-mapped, IPv4-compatible ::a.b.c.d
  if (zeroHead && g4 === 0xffff && g5 === 0) return tail; // IPv4-translated ::ffff:0:a.b.c.d
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return tail; // NAT64
  return undefined;
}

function isBlockedIPv6(groups: readonly number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0] = groups;
  const tail = embeddedTail(groups);
  if (tail !== undefined) {
    // IPv4-compatible is deprecated and never a real destination; ::/:: ::1 fall in here too.
    const compatible = groups.slice(0, 6).every((group) => group === 0);
    return compatible || isBlockedIPv4(tail);
  }
  if (g0 === 0x2002) return isBlockedIPv4(embeddedIPv4(g1, g2)); // 6to4 carries its IPv4 in bits 16-47
  return blockedIPv6Prefixes.some(
    ([first, mask, second, secondMask]) =>
      (g0 & mask) === first && (second < 0 || (g1 & secondMask) === second),
  );
}

/** Whether an address from a DNS answer (dotted IPv4, or IPv6 in any spelling) is publicly routable. */
export function isPublicAddress(address: string): boolean {
  const ipv4 = parseIPv4(address);
  if (ipv4 !== undefined) return !isBlockedIPv4(ipv4);
  if (!address.includes(':')) return false;
  let host: string;
  try {
    // The URL parser writes IPv6 in the one compressed form parseIPv6 reads (embedded dotted IPv4 included).
    host = new URL(`https://[${address}]/`).hostname;
  } catch {
    return false;
  }
  const groups = parseIPv6(host.slice(1, -1));
  return groups !== undefined && !isBlockedIPv6(groups);
}

/** Whether a host is an IP literal (which needs no DNS); the URL parser has written IPv4 in dotted form. */
export function isIpLiteral(host: string): boolean {
  return host.startsWith('[') || parseIPv4(host) !== undefined;
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
  if (host.startsWith('[')) {
    const groups = parseIPv6(host.slice(1, -1));
    if (groups === undefined || isBlockedIPv6(groups)) refuse(`the host ${host} is not a public address`);
    return;
  }
  const ipv4 = parseIPv4(host);
  if (ipv4 !== undefined) {
    if (isBlockedIPv4(ipv4)) refuse(`the host ${host} is not a public address`);
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
