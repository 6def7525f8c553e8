/**
 * @module
 * `POST /v1/tasks/{id}/refit`: refits the task from its stored example embeddings (linear heads, calibration,
 * stacking; see `tasks/refit.ts`), inside the task's Durable Object but out of its write path
 * (`tasks/refit-job.ts`): classifies and writes go on meanwhile. No backend call: the embeddings were kept when the
 * examples were added.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { json, problems } from '../openapi.ts';
import { createRouter } from '../router.ts';
import { TaskIdSchema, TaskViewSchema, viewOf } from '../tasks/schema.ts';
import { etagOf, ifMatchVersion } from '../tasks/version.ts';

const RefitReportSchema = z
  .object({
    examples: z.number().int(),
    folds: z.number().int(),
    temperatures: z.record(z.string(), z.number()),
    stacking: z.boolean(),
    linear: z.array(z.string()),
  })
  .openapi('RefitReport');

const refit = createRoute({
  method: 'post',
  path: '/v1/tasks/{id}/refit',
  tags: ['tasks'],
  summary: 'Refit linear heads, calibration temperatures and the stacking model from the stored examples.',
  request: {
    params: z.object({ id: TaskIdSchema.openapi({ param: { name: 'id', in: 'path' } }) }),
    headers: z.object({ 'if-match': z.string().optional() }),
    query: z.object({ folds: z.coerce.number().int().min(2).max(20).default(5) }),
  },
  responses: {
    200: json(z.object({ report: RefitReportSchema, task: TaskViewSchema }), 'What was fitted; the task.'),
    ...problems(400, 401, 404, 409, 412, 413),
  },
});

export const refitRoutes = createRouter().openapi(refit, async (c) => {
  const { id } = c.req.valid('param');
  const { folds } = c.req.valid('query');
  const expected = ifMatchVersion(c.req.valid('header')['if-match']);
  const { task, report } = await c.var.services.tasks.refit(id, folds, expected);
  c.header('ETag', etagOf(task.version));
  return c.json({ report, task: viewOf(task) }, 200);
});
