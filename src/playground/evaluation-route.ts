/**
 * @module
 * `POST /playground/evaluation`: an evaluate answer in, the evaluation view's HTML out (`report/view.ts`), so that
 * the playground draws with the very renderer the CLI's report file uses. A pure rendering of what is sent — it
 * reads no task — hence outside `/v1` and its keys, but under its own small body cap. Not in the API's document.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../problem.ts';
import { evaluationView } from '../report/view.ts';
import { createRouter } from '../router.ts';
import { EvaluationSchema } from '../routes/evaluate.ts';
import { TaskIdSchema } from '../tasks/schema.ts';

/** An answer for 256 items of a few labels is tens of KiB; thousands of labels stay well under this. */
export const maxEvaluationViewBytes = 2 * 1024 * 1024;

const ViewSchema = EvaluationSchema.partial({ coverage: true, abstention: true, detail: true }).extend({
  task: TaskIdSchema.optional(),
  items: z.number().int().min(0).optional(),
});

const view = createRoute({
  method: 'post',
  path: '/playground/evaluation',
  hide: true,
  request: { body: { required: true, content: { 'application/json': { schema: ViewSchema } } } },
  responses: { 200: { description: 'The evaluation view (an HTML fragment).' } },
});

const capped = bodyLimit({
  maxSize: maxEvaluationViewBytes,
  onError: () => {
    throw new ApiError(
      413,
      'body-too-large',
      `an evaluation to draw is at most ${maxEvaluationViewBytes} bytes`,
    );
  },
});

export const evaluationViewRoutes = createRouter();
evaluationViewRoutes.use('/playground/evaluation', capped);
evaluationViewRoutes.openapi(view, (c) => {
  const { task, items, ...evaluation } = c.req.valid('json');
  const source = 'evaluated by the API';
  return c.html(
    evaluationView({
      ...evaluation,
      source,
      ...(task ? { task } : {}),
      ...(items === undefined ? {} : { items }),
    }),
  );
});
