/**
 * @module
 * Task CRUD: create (201 + Location, 409 if the id is taken), replace (PUT; examples are dropped, the version
 * moves on; `If-Match` checks it), list (paged by the task index's cursor), read (with an `ETag`) and delete.
 * Refit and evaluate are mounted here too, being operations on one task.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { json, problems } from '../openapi.ts';
import { ApiError } from '../problem.ts';
import { createRouter } from '../router.ts';
import { buildTask } from '../tasks/build.ts';
import { prepareHeads } from '../tasks/prepare-heads.ts';
import {
  CreateTaskSchema,
  TaskIdSchema,
  TaskSummarySchema,
  TaskViewSchema,
  viewOf,
} from '../tasks/schema.ts';
import { etagOf, ifMatchVersion } from '../tasks/version.ts';
import { evaluateRoutes } from './evaluate.ts';
import { refitRoutes } from './refit.ts';

const IdParams = z.object({ id: TaskIdSchema.openapi({ param: { name: 'id', in: 'path' } }) });

const createTask = createRoute({
  method: 'post',
  path: '/v1/tasks',
  tags: ['tasks'],
  summary: 'Create a task: a label set, per-modality heads and a fusion config.',
  request: { body: { required: true, content: { 'application/json': { schema: CreateTaskSchema } } } },
  responses: {
    201: json(TaskViewSchema, 'The stored task.'),
    ...problems(400, 401, 409, 413, 415, 422, 503),
  },
});

const ReplaceTaskSchema = CreateTaskSchema.omit({ id: true }).openapi('ReplaceTask');

const replaceTask = createRoute({
  method: 'put',
  path: '/v1/tasks/{id}',
  tags: ['tasks'],
  summary:
    'Replace a task: new labels, heads and fusion; its examples are dropped. If-Match checks the version.',
  request: {
    params: IdParams,
    headers: z.object({ 'if-match': z.string().optional() }),
    body: { required: true, content: { 'application/json': { schema: ReplaceTaskSchema } } },
  },
  responses: {
    200: json(TaskViewSchema, 'The replaced task.'),
    ...problems(400, 401, 404, 409, 412, 413, 415, 422, 503),
  },
});

const listTasks = createRoute({
  method: 'get',
  path: '/v1/tasks',
  tags: ['tasks'],
  summary: 'List tasks (summaries), a page at a time.',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      cursor: z.string().optional(),
    }),
  },
  responses: {
    200: json(
      z.object({ data: z.array(TaskSummarySchema), cursor: z.string().optional() }).openapi('TaskPage'),
      'A page of task summaries; `cursor` fetches the next one.',
    ),
    ...problems(400, 401),
  },
});

const getTask = createRoute({
  method: 'get',
  path: '/v1/tasks/{id}',
  tags: ['tasks'],
  summary: 'Read a task.',
  request: { params: IdParams },
  responses: { 200: json(TaskViewSchema, 'The task; `ETag` is its version.'), ...problems(400, 401, 404) },
});

const deleteTask = createRoute({
  method: 'delete',
  path: '/v1/tasks/{id}',
  tags: ['tasks'],
  summary: 'Delete a task.',
  request: { params: IdParams },
  responses: { 204: { description: 'Deleted.' }, ...problems(400, 401, 404) },
});

export const tasksRoutes = createRouter()
  .openapi(createTask, async (c) => {
    const { services } = c.var;
    const built = await buildTask(c.req.valid('json'), services.modalities, services.models, new Date());
    const task = await services.tasks.create(await prepareHeads(built, services));
    c.header('Location', `/v1/tasks/${encodeURIComponent(task.id)}`);
    c.header('ETag', etagOf(task.version));
    return c.json(viewOf(task), 201);
  })
  .openapi(replaceTask, async (c) => {
    const { id } = c.req.valid('param');
    const { services } = c.var;
    const request = { ...c.req.valid('json'), id };
    const fresh = await buildTask(request, services.modalities, services.models, new Date());
    const expected = ifMatchVersion(c.req.valid('header')['if-match']);
    const change = { kind: 'replace', task: await prepareHeads(fresh, services) } as const;
    const { task } = await services.tasks.apply(id, change, expected);
    c.header('ETag', etagOf(task.version));
    return c.json(viewOf(task), 200);
  })
  .openapi(listTasks, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    return c.json(await c.var.services.tasks.list(limit, cursor), 200);
  })
  .openapi(getTask, async (c) => {
    const task = await c.var.services.tasks.require(c.req.valid('param').id);
    c.header('ETag', etagOf(task.version));
    return c.json(viewOf(task), 200);
  })
  .openapi(deleteTask, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await c.var.services.tasks.delete(id))) {
      throw new ApiError(404, 'unknown-task', `there is no task ${JSON.stringify(id)}`);
    }
    return c.body(null, 204);
  })
  .route('/', refitRoutes)
  .route('/', evaluateRoutes);
