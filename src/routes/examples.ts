/**
 * @module
 * `POST /v1/tasks/{id}/examples`: labelled examples (JSON, or one example as multipart with a `label` field and a
 * part per modality) are embedded and folded into the task's heads.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { InputsSchema } from '../classify/schema.ts';
import { bodyKind, formInputs, FormValueSchema } from '../inputs/body.ts';
import { json, problems } from '../openapi.ts';
import { createRouter } from '../router.ts';
import { LabelSchema, TaskIdSchema, TaskSchema } from '../tasks/schema.ts';
import { TaskStore } from '../tasks/store.ts';
import { teach, type Example } from '../tasks/teach.ts';
import { timerFor } from '../timer.ts';

export const maxExamplesPerRequest = 64;

const ExamplesJsonSchema = z
  .object({
    examples: z
      .array(z.object({ label: LabelSchema, inputs: InputsSchema }))
      .min(1)
      .max(maxExamplesPerRequest),
  })
  .openapi('Examples');

const ExampleFormSchema = z
  .object({ label: LabelSchema })
  .catchall(FormValueSchema)
  .openapi('ExampleForm', { description: 'One example: its label and a part per modality.' });

const addExamples = createRoute({
  method: 'post',
  path: '/v1/tasks/{id}/examples',
  tags: ['tasks'],
  summary: "Teach a task: embed labelled examples and fold them into its modalities' heads.",
  request: {
    params: z.object({ id: TaskIdSchema.openapi({ param: { name: 'id', in: 'path' } }) }),
    body: {
      required: false,
      content: {
        'application/json': { schema: ExamplesJsonSchema },
        'multipart/form-data': { schema: ExampleFormSchema },
      },
    },
  },
  responses: {
    200: json(
      z.object({ added: z.number().int(), task: TaskSchema }),
      'How many examples were added; the task.',
    ),
    ...problems(400, 401, 404, 409, 413, 415, 422, 503),
  },
});

function fromForm(form: z.infer<typeof ExampleFormSchema>): Example[] {
  return [{ label: form.label, inputs: formInputs(form, ['label']), at: 'form' }];
}

function fromJson(body: z.infer<typeof ExamplesJsonSchema>): Example[] {
  return body.examples.map((example, i) => ({ ...example, at: `examples[${i}].inputs` }));
}

export const examplesRoutes = createRouter().openapi(addExamples, async (c) => {
  // Only the validator matching the content type ran (the other stored {}), which the route types cannot tell.
  const examples =
    bodyKind(c.req.header('content-type')) === 'form'
      ? fromForm(c.req.valid('form') as z.infer<typeof ExampleFormSchema>)
      : fromJson(c.req.valid('json') as z.infer<typeof ExamplesJsonSchema>);
  const store = new TaskStore(c.env.TASKS);
  const task = await store.require(c.req.valid('param').id);
  const taught = await teach(task, examples, {
    modalities: c.var.modalities,
    backend: c.var.backend,
    time: timerFor(c),
  });
  await store.save(taught);
  return c.json({ added: examples.length, task: taught }, 200);
});
