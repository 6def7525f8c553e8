/**
 * @module
 * `POST /v1/tasks/{id}/examples`: labelled examples (JSON, or one example as multipart with a `label` field and a
 * part per modality) are embedded and folded into the task's heads; each gets an id. `DELETE
 * /v1/tasks/{id}/examples/{example}` takes one out again, `DELETE /v1/tasks/{id}/examples?label=…` every one of a
 * label; `GET /v1/tasks/{id}/examples?limit=&after=` lists them a page at a time. The examples are embedded first,
 * then folded in by the task's Durable Object, one write at a time, so concurrent uploads all land; `If-Match`
 * checks the version at that moment. A teach answers the new ids and a summary of the task, not the task (whose
 * prototype sums weigh megabytes at thousands of labels).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { InputsSchema } from '../classify/schema.ts';
import { bodyKind, formInputs, FormValueSchema } from '../inputs/body.ts';
import { json, problems } from '../openapi.ts';
import { createRouter } from '../router.ts';
import { ApiError } from '../problem.ts';
import type { ExampleSelector } from '../tasks/examples.ts';
import { LabelSchema, TaskIdSchema, TaskViewSchema, viewOf, type Task } from '../tasks/schema.ts';
import type { TaskStore } from '../tasks/store.ts';
import { embedExamples, type Example } from '../tasks/teach.ts';
import { etagOf, ifMatchVersion } from '../tasks/version.ts';

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

const IdParams = z.object({ id: TaskIdSchema.openapi({ param: { name: 'id', in: 'path' } }) });
const IfMatch = z.object({ 'if-match': z.string().optional() });

const TeachSummarySchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    labels: z.number().int().openapi({ description: 'How many labels.' }),
    examples: z.record(z.string(), z.number().int()).openapi({ description: 'Examples per modality.' }),
    counts: z
      .record(z.string(), z.record(z.string(), z.number().int()))
      .openapi({ description: 'Per modality, examples per label (labels without any left out).' }),
  })
  .openapi('TeachSummary');

/** What a teach answers of the task: its counts, not its vectors. */
function teachSummary(task: Task): z.infer<typeof TeachSummarySchema> {
  const heads = Object.entries(task.modalities);
  const counts = heads.map(([name, head]) => {
    const taught = Object.entries(head.prototype.counts).filter(([, n]) => n > 0);
    return [name, Object.fromEntries(taught)] as const;
  });
  return {
    id: task.id,
    version: task.version,
    labels: task.labels.length,
    examples: Object.fromEntries(heads.map(([name, head]) => [name, head.examples])),
    counts: Object.fromEntries(counts),
  };
}

const addExamples = createRoute({
  method: 'post',
  path: '/v1/tasks/{id}/examples',
  tags: ['tasks'],
  summary: "Teach a task: embed labelled examples and fold them into its modalities' heads.",
  request: {
    params: IdParams,
    headers: IfMatch,
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
      z.object({ added: z.number().int(), ids: z.array(z.number().int()), task: TeachSummarySchema }),
      'How many examples were added, their ids (in order); a summary of the task.',
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

const RemovedSchema = z.object({ removed: z.number().int(), task: TaskViewSchema });

const removeExample = createRoute({
  method: 'delete',
  path: '/v1/tasks/{id}/examples/{example}',
  tags: ['tasks'],
  summary: "Take one example out of the task's heads (refit to update linear heads and stacking).",
  request: {
    params: IdParams.extend({
      example: z.coerce
        .number()
        .int()
        .min(1)
        .openapi({ param: { name: 'example', in: 'path' } }),
    }),
    headers: IfMatch,
  },
  responses: { 200: json(RemovedSchema, 'The task without it.'), ...problems(400, 401, 404, 409, 412) },
});

const ExamplePageSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        id: z.number().int(),
        label: z.string(),
        modalities: z.array(z.string()),
        created: z.string().nullable().openapi({ description: 'null: taught before this was recorded.' }),
      }),
    ),
    has_more: z.boolean(),
    last_id: z.number().int().nullable(),
  })
  .openapi('ExamplePage');

const listExamples = createRoute({
  method: 'get',
  path: '/v1/tasks/{id}/examples',
  tags: ['tasks'],
  summary: "A page of the task's examples in id order (no embeddings); `after` = the last page's `last_id`.",
  request: {
    params: IdParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      after: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: { 200: json(ExamplePageSchema, 'A page of examples.'), ...problems(400, 401, 404) },
});

const removeLabel = createRoute({
  method: 'delete',
  path: '/v1/tasks/{id}/examples',
  tags: ['tasks'],
  summary: 'Take every stored example of a label out of the task.',
  request: { params: IdParams, headers: IfMatch, query: z.object({ label: LabelSchema }) },
  responses: { 200: json(RemovedSchema, 'How many went; the task.'), ...problems(400, 401, 404, 409, 412) },
});

async function remove(store: TaskStore, id: string, selector: ExampleSelector, ifMatch: string | undefined) {
  const change = { kind: 'remove-examples', selector } as const;
  const { task, outcome } = await store.apply(id, change, ifMatchVersion(ifMatch));
  return { removed: outcome.removed ?? 0, task };
}

export const examplesRoutes = createRouter()
  .openapi(addExamples, async (c) => {
    // Only the validator matching the content type ran (the other stored {}), which the route types cannot tell.
    const examples =
      bodyKind(c.req.header('content-type')) === 'form'
        ? fromForm(c.req.valid('form') as z.infer<typeof ExampleFormSchema>)
        : fromJson(c.req.valid('json') as z.infer<typeof ExamplesJsonSchema>);
    const { services } = c.var;
    const { id } = c.req.valid('param');
    const expected = ifMatchVersion(c.req.valid('header')['if-match']);
    // The outline, not the task: a task of thousands of labels weighs megabytes of vectors teaching does not read.
    const before = await services.tasks.outline(id);
    const embedded = await embedExamples(before, examples, services);
    const models = Object.fromEntries(
      Object.entries(before.modalities).map(([name, head]) => [name, head.model]),
    );
    const change = { kind: 'add-examples', examples: embedded, models } as const;
    const { task, outcome } = await services.tasks.apply(id, change, expected);
    c.header('ETag', etagOf(task.version));
    return c.json({ added: examples.length, ids: outcome.ids ?? [], task: teachSummary(task) }, 200);
  })
  .openapi(listExamples, async (c) => {
    const { limit, after } = c.req.valid('query');
    const page = await c.var.services.tasks.examples(c.req.valid('param').id, limit, after);
    const last = page.data[page.data.length - 1]?.id ?? null;
    return c.json({ object: 'list' as const, data: page.data, has_more: page.more, last_id: last }, 200);
  })
  .openapi(removeExample, async (c) => {
    const { id, example } = c.req.valid('param');
    const result = await remove(
      c.var.services.tasks,
      id,
      { ids: [example] },
      c.req.valid('header')['if-match'],
    );
    if (result.removed === 0) {
      throw new ApiError(404, 'unknown-example', `the task ${id} keeps no example ${example}`);
    }
    c.header('ETag', etagOf(result.task.version));
    return c.json({ removed: result.removed, task: viewOf(result.task) }, 200);
  })
  .openapi(removeLabel, async (c) => {
    const { id } = c.req.valid('param');
    const result = await remove(
      c.var.services.tasks,
      id,
      c.req.valid('query'),
      c.req.valid('header')['if-match'],
    );
    c.header('ETag', etagOf(result.task.version));
    return c.json({ removed: result.removed, task: viewOf(result.task) }, 200);
  });
