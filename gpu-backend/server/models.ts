/**
 * @module
 * Per-model routes (metadata, readiness, config, inference), each with and without `/versions/{v}`, and
 * Triton's repository index.
 */
import { Hono, type Context } from 'hono';
import { isStatusError } from '../runtime/errors.ts';
import type { AppDeps } from './deps.ts';
import { HEADER_LENGTH } from './binary.ts';
import { readBody } from './body.ts';
import { infer } from './infer.ts';
import { modelMetadata } from './metadata.ts';
import { parseJson } from './request.ts';

/** `name` and optional `version` of the matched route. */
function target(c: Context): [string, string | undefined] {
  return [c.req.param('name') ?? '', c.req.param('version')];
}

function modelRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json(modelMetadata(deps.registry.get(...target(c)), deps.plainMetadata)));
  app.get('/config', (c) => c.json(deps.registry.get(...target(c)).parts.config));
  app.get('/ready', (c) => {
    const [name, version] = target(c);
    try {
      deps.registry.get(name, version);
    } catch (error) {
      if (!isStatusError(error) || error.status !== 503) throw error;
      return c.json({ name, ready: false, error: error.message }, 503);
    }
    return c.json({ name, ready: true });
  });
  app.post('/infer', async (c) => {
    // The binary tail starts after the JSON header: aligned there, its tensors decode as views.
    const body = await readBody(c, Number(c.req.header(HEADER_LENGTH)) || 0);
    const model = deps.registry.get(...target(c));
    // Aborted by @hono/node-server when the client's connection closes before the answer (a speculative call
    // the edge gave up on): the model's batcher then drops the request's queued items.
    const reply = await infer(model, body, c.req.header(HEADER_LENGTH), c.req.raw.signal);
    if (reply.kind === 'json') return c.json(reply.body);
    return c.body(reply.body, 200, {
      'content-type': 'application/octet-stream',
      [HEADER_LENGTH]: String(reply.headerLength),
    });
  });
  return app;
}

export function repositoryRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const perModel = modelRoutes(deps);
  app.route('/models/:name/versions/:version', perModel);
  app.route('/models/:name', perModel);
  app.post('/repository/index', async (c) => {
    const text = await c.req.text();
    const body = text.trim() === '' ? {} : parseJson(text);
    const readyOnly =
      typeof body === 'object' && body !== null && (body as { ready?: unknown }).ready === true;
    const index = deps.registry.index();
    return c.json(readyOnly ? index.filter((entry) => entry.state === 'READY') : index);
  });
  return app;
}
