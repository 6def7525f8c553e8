/**
 * @module
 * Hands handlers their services (`src/services.ts`) as `c.var.services`, built per request from the Worker's
 * bindings and the tenant auth chose (`c.var.tenant`; mounted after auth for that): handlers reach the adapters, the backend and the tasks through it, never by import, so an app can be
 * assembled with other adapters or another backend. Stage times and the embedding cache's hits and misses go to
 * `Server-Timing` (`cache`, `cache-hits`); the embedding cache's writes wait for no answer (`defer.ts`), and a
 * batch's line writes none (bulk work, `backend/embedding-cache.ts`).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { setMetric } from 'hono/timing';
import type { AppEnv } from '../env.ts';
import { createServices, type Assembly } from '../services.ts';
import { deferFor } from '../defer.ts';
import { startValidation, timerFor } from '../timer.ts';

function reportCache(c: Context<AppEnv>, hits: number, misses: number): void {
  if (hits + misses === 0) return;
  setMetric(c, 'cache', misses === 0 ? 'hit' : hits === 0 ? 'miss' : 'partial');
  setMetric(c, 'cache-hits', `${hits}/${hits + misses}`);
}

export function services(assembly: Assembly): MiddlewareHandler<AppEnv> {
  return async function services(c, next) {
    let hits = 0;
    let misses = 0;
    const cache = (found: number, missed: number) => {
      hits += found;
      misses += missed;
    };
    const reporting = { time: timerFor(c), cache, defer: deferFor(c), bulk: c.get('batchLine') === true };
    c.set('services', createServices(c.env, assembly, reporting, c.get('tenant')));
    startValidation(c);
    await next();
    reportCache(c, hits, misses);
  };
}
