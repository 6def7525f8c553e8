/**
 * @module
 * Per-key rate limits with the Workers Rate Limiting binding (`[[ratelimits]]` `RATE_LIMITER` in wrangler.toml,
 * which also sets the limit and period): one counter per API key name, or per client address
 * (`CF-Connecting-IP`) in open mode. Over the limit → 429 problem+json with `Retry-After`. The binding's
 * counters are per Cloudflare location and eventually consistent, which suits abuse protection, not billing.
 * Timed as `ratelimit` for `Server-Timing`.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../problem.ts';
import { timerFor } from '../timer.ts';

/**
 * The binding's period (10 or 60 s, set in wrangler.toml): it does not say when a window ends, so a refused
 * client is told to wait one whole period.
 */
export const rateLimitPeriodSeconds = 60;

function limitKey(apiKey: string | undefined, address: string | undefined): string | undefined {
  if (apiKey !== undefined) return `key:${apiKey}`;
  return address === undefined ? undefined : `ip:${address}`;
}

export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const limiter = c.env?.RATE_LIMITER;
    const key = limitKey(c.get('apiKey'), c.req.header('cf-connecting-ip'));
    // No binding (an app assembled without one) or no one to count (open mode, no client address): no limit.
    if (limiter === undefined || key === undefined) return next();
    const { success } = await timerFor(c)('ratelimit', () => limiter.limit({ key }));
    if (!success) {
      const who = key.startsWith('key:') ? `the API key ${key.slice(4)}` : 'this client';
      const detail = `${who} is over its rate limit; retry after ${rateLimitPeriodSeconds} s`;
      throw new ApiError(429, 'rate-limited', detail, {
        headers: { 'Retry-After': String(rateLimitPeriodSeconds) },
      });
    }
    await next();
  };
}
