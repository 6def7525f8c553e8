/**
 * @module
 * OpenAI's Batch API: `POST /v1/batches` (the input file validated before anything is queued; a file that fails
 * answers a `failed` batch whose `errors.data` name the lines), `GET /v1/batches` (newest first, paged by
 * `after`), `GET /v1/batches/:id`, `POST /v1/batches/:id/cancel` (an `inference` key: its own batches only, `middleware/ownership.ts`). A
 * tenant's batches only; errors OpenAI-shaped.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { BatchCreateSchema, BatchSchema, listPage, PageQuerySchema, pageSchema } from '../batches/schema.ts';
import { checkOwnKey } from '../middleware/ownership.ts';
import { json, openAIProblems } from '../openapi.ts';
import { createRouter } from '../router.ts';

const IdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'batch_0000abc' }),
});

const createBatchRoute = createRoute({
  method: 'post',
  path: '/v1/batches',
  tags: ['batches'],
  summary: 'Run a file of requests in the background, through the queue (OpenAI-compatible).',
  request: { body: { required: true, content: { 'application/json': { schema: BatchCreateSchema } } } },
  responses: {
    200: json(BatchSchema, 'The batch: `in_progress`, or `failed` with the lines that failed validation.'),
    ...openAIProblems(400, 401, 404),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/batches',
  tags: ['batches'],
  summary: "The tenant's batches, newest first.",
  request: { query: PageQuerySchema },
  responses: {
    200: json(pageSchema(BatchSchema, 'BatchList'), 'A page of batches.'),
    ...openAIProblems(400, 401),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/batches/{id}',
  tags: ['batches'],
  summary: 'A batch, with its request counts.',
  request: { params: IdParams },
  responses: { 200: json(BatchSchema, 'The batch.'), ...openAIProblems(401, 404) },
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/v1/batches/{id}/cancel',
  tags: ['batches'],
  summary: 'Cancel a batch: `cancelling`, then `cancelled` once the chunks in flight are done.',
  request: { params: IdParams },
  responses: { 200: json(BatchSchema, 'The batch.'), ...openAIProblems(401, 403, 404, 409) },
});

export const batchesRoutes = createRouter()
  .openapi(createBatchRoute, async (c) =>
    c.json(await c.var.services.batches.create(c.req.valid('json'), c.var.apiKey), 200),
  )
  .openapi(listRoute, async (c) => {
    const { limit, after } = c.req.valid('query');
    const page = await c.var.services.batches.list(limit, after);
    return c.json(listPage(page.data, page.hasMore), 200);
  })
  .openapi(getRoute, async (c) => c.json(await c.var.services.batches.get(c.req.valid('param').id), 200))
  .openapi(cancelRoute, async (c) => {
    const { id } = c.req.valid('param');
    checkOwnKey(c, await c.var.services.batches.createdBy(id), 'cancel the batches');
    return c.json(await c.var.services.batches.cancel(id), 200);
  });
