/**
 * @module
 * `POST /v1/classify`: one multimodal item, or a batch, through the task's heads and fusion. JSON or multipart. A
 * batch answers each item in its place (`classify/answer.ts`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { batchAnswer, singleAnswer } from '../classify/answer.ts';
import { classify } from '../classify/pipeline.ts';
import { fromForm, fromJson } from '../classify/request.ts';
import {
  ClassificationSchema,
  ClassifyFormSchema,
  ClassifyJsonSchema,
  ItemErrorSchema,
} from '../classify/schema.ts';
import { bodyKind } from '../inputs/body.ts';
import { json, problems } from '../openapi.ts';
import { createRouter } from '../router.ts';

const classifyRoute = createRoute({
  method: 'post',
  path: '/v1/classify',
  tags: ['classify'],
  summary: 'Classify one multimodal item (or a batch) with a task, fusing the per-modality decisions.',
  request: {
    body: {
      required: false,
      content: {
        'application/json': { schema: ClassifyJsonSchema },
        'multipart/form-data': { schema: ClassifyFormSchema },
      },
    },
  },
  responses: {
    200: json(
      z.union([ClassificationSchema, z.array(z.union([ClassificationSchema, ItemErrorSchema]))]),
      'The classification; for `items`, an array in request order, an item that could not be answered as ' +
        '`{error: problem}` in its place.',
    ),
    ...problems(400, 401, 404, 413, 415, 422, 503),
  },
});

type ClassifyJson = z.infer<typeof ClassifyJsonSchema>;
type ClassifyForm = z.infer<typeof ClassifyFormSchema>;

export const classifyRoutes = createRouter().openapi(classifyRoute, async (c) => {
  // Only the validator matching the content type ran (the other stored {}), which the route types cannot tell.
  const request =
    bodyKind(c.req.header('content-type')) === 'form'
      ? fromForm(c.req.valid('form') as ClassifyForm)
      : fromJson(c.req.valid('json') as ClassifyJson);
  const { services } = c.var;
  // Timed apart: the task object's answer (its version, or new heads) is the edge's part that grows with the task.
  const { task, heads } = await services.time('task', () => services.tasks.classifyHeads(request.task));
  const results = await classify(task, heads, request, services);
  return request.batch ? c.json(batchAnswer(results), 200) : c.json(singleAnswer(results[0]), 200);
});
