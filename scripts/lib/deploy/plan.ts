/**
 * @module
 * What `npm run deploy` needs in the account, read from `wrangler.toml`: the R2 buckets and queues its bindings name
 * (a consumer's dead-letter queue included: Cloudflare refuses a consumer whose DLQ does not exist), and which of
 * them a listing lacks. Pure: the listings come from wrangler (`wrangler.ts`).
 */
import { parse } from 'smol-toml';

export interface WranglerConfig {
  readonly name: string;
  readonly buckets: readonly string[];
  readonly queues: readonly string[];
  readonly migrations: readonly string[];
  readonly vars: Readonly<Record<string, string>>;
}

interface RawConfig {
  name?: unknown;
  r2_buckets?: { bucket_name?: unknown }[];
  queues?: {
    producers?: { queue?: unknown }[];
    consumers?: { queue?: unknown; dead_letter_queue?: unknown }[];
  };
  migrations?: { tag?: unknown }[];
  vars?: Record<string, unknown>;
}

const strings = (values: unknown[]): string[] => [
  ...new Set(values.filter((value): value is string => typeof value === 'string' && value !== '')),
];

export function readWranglerConfig(toml: string): WranglerConfig {
  const raw = parse(toml) as RawConfig;
  if (typeof raw.name !== 'string') throw new Error('wrangler.toml has no `name`');
  const { producers = [], consumers = [] } = raw.queues ?? {};
  return {
    name: raw.name,
    buckets: strings((raw.r2_buckets ?? []).map((bucket) => bucket.bucket_name)),
    queues: strings([
      ...producers.map((producer) => producer.queue),
      ...consumers.flatMap((consumer) => [consumer.queue, consumer.dead_letter_queue]),
    ]),
    migrations: strings((raw.migrations ?? []).map((migration) => migration.tag)),
    vars: Object.fromEntries(
      Object.entries(raw.vars ?? {}).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
  };
}

/**
 * The names a wrangler listing does not show. Listings are human-readable (`name: x` lines for buckets, a table for
 * queues) and change between wrangler versions, so a name counts as listed when it stands as a whole token: between
 * line ends, spaces, table rules (`│`, `|`) or quotes.
 */
export function absent(names: readonly string[], listing: string): string[] {
  const tokens = new Set(listing.split(/[\s│|"',]+/u).filter(Boolean));
  return names.filter((name) => !tokens.has(name));
}

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i;

/** A backend URL a deployed Worker cannot reach (Workers have no loopback of ours). */
export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK.test(url.trim());
}

/** The names in `wrangler secret list --format json`'s output: a JSON array, wherever wrangler's banner puts it. */
export function secretNames(stdout: string): string[] {
  const end = stdout.lastIndexOf(']') + 1;
  for (let start = stdout.indexOf('['); start >= 0 && start < end; start = stdout.indexOf('[', start + 1)) {
    try {
      const parsed = JSON.parse(stdout.slice(start, end)) as unknown;
      if (Array.isArray(parsed)) return parsed.map((entry) => String((entry as { name?: unknown }).name));
    } catch {
      // Not the array yet (a "[WARNING]" tag, say): try the next bracket.
    }
  }
  throw new Error(`wrangler secret list printed no JSON list:\n${stdout}`);
}
