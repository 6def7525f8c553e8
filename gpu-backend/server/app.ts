/**
 * @module
 * The backend's Hono app: KServe v2 routes under `/v2`, a body size limit, and one error handler that turns
 * the runtime's typed errors into Triton's `{"error": "..."}` bodies, so client input never becomes a 500. A refused
 * input also gets its adapter's `code`, and the items of a batch that preprocessing refused are each named in
 * `items` (`{index, error, code}`).
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isAdapterInputError, type AdapterInputError } from '../../adapters/errors.ts';
import { isStatusError, RefusedItemsError } from '../runtime/errors.ts';
import { limitBody } from './body.ts';
import { bearerAuth } from './auth.ts';
import type { AppDeps } from './deps.ts';
import { healthRoutes } from './health.ts';
import { metricsRoutes } from './metrics.ts';
import { repositoryRoutes } from './models.ts';
import { requestLog } from './request-log.ts';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** An adapter refusal's code, and the reason an `absent` one gives (a derived part not there: `no-text`). */
function codeAndReason(error: AdapterInputError): { code: string; reason?: string } {
  const reason = error.details['reason'];
  return { code: error.code, ...(typeof reason === 'string' ? { reason } : {}) };
}

function errorResponse(deps: AppDeps, error: Error, c: Context): Response {
  if (isStatusError(error)) {
    if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
    // 499 (a cancelled request) is nginx's, outside Hono's list of statuses.
    return c.json({ error: error.message }, error.status as ContentfulStatusCode);
  }
  if (error instanceof RefusedItemsError) {
    const items = error.items.map((item) => ({
      index: item.index,
      error: item.error.message,
      ...codeAndReason(item.error),
    }));
    return c.json({ error: error.message, ...codeAndReason(error.items[0].error), items }, 400);
  }
  if (isAdapterInputError(error)) return c.json({ error: error.message, ...codeAndReason(error) }, 400);
  if (error instanceof HTTPException) {
    return c.json({ error: error.message || 'bad request' }, error.status as ContentfulStatusCode);
  }
  deps.logError(`${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
  return c.json({ error: 'internal server error' }, 500);
}

export function createApp(deps: AppDeps): Hono {
  const maxSize = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const app = new Hono();
  // First: refused requests are logged too.
  if (deps.logRequest) app.use(requestLog(deps.logRequest));
  // Before the body limit: a caller without the token learns nothing, not even the limit.
  if (deps.auth) app.use(bearerAuth(deps.auth));
  app.use(limitBody(maxSize, (c) => c.json({ error: `request body is larger than ${maxSize} bytes` }, 413)));
  app.route('/v2', healthRoutes(deps));
  app.route('/v2', repositoryRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => errorResponse(deps, error, c));
  return app;
}
