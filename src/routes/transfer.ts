/**
 * @module
 * `GET /v1/tasks/{id}/export` streams the task as JSONL (`tasks/transfer.ts`), its examples read from the task's
 * object a page at a time; `POST /v1/tasks/{id}/import` creates the task `id` from such a file, read as it arrives:
 * the header's models must be served here (422 naming the model), every vector of its model's dimension (422),
 * every line well-formed (400 naming the line), within the limits (413). The examples are folded in 500 at a time
 * without embedding anything; an import that fails deletes the task it created, so it leaves nothing behind.
 * Export is a read (an `inference` key may), import a write (`all`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { BackendError } from '../backend/errors.ts';
import { json, problems } from '../openapi.ts';
import { ApiError } from '../problem.ts';
import { createRouter } from '../router.ts';
import type { Services } from '../services.ts';
import { buildTask } from '../tasks/build.ts';
import type { EmbeddedExample } from '../tasks/examples.ts';
import { jsonlLines, type Line } from '../tasks/jsonl-lines.ts';
import { prepareHeads } from '../tasks/prepare-heads.ts';
import { TaskIdSchema, type Task } from '../tasks/schema.ts';
import {
  createRequestOf,
  exampleLines,
  headerOf,
  maxImportLines,
  maxLineBytes,
  parseExample,
  parseHeader,
  type Served,
  type TransferHeader,
} from '../tasks/transfer.ts';
import { etagOf } from '../tasks/version.ts';

const jsonl = 'application/x-ndjson';
/** Examples read from the object, and folded into the task, per step. */
const page = 500;

const IdParams = z.object({ id: TaskIdSchema.openapi({ param: { name: 'id', in: 'path' } }) });
const JsonlSchema = z.string().openapi({ description: 'JSONL: a header line, then one line per example.' });

const exportTask = createRoute({
  method: 'get',
  path: '/v1/tasks/{id}/export',
  tags: ['tasks'],
  summary: 'Export a task as JSONL: its definition, then its examples with their embeddings (docs/tasks.md).',
  request: { params: IdParams },
  responses: {
    200: { description: 'The task as JSONL, streamed.', content: { [jsonl]: { schema: JsonlSchema } } },
    ...problems(400, 401, 404),
  },
});

const importTask = createRoute({
  method: 'post',
  path: '/v1/tasks/{id}/import',
  tags: ['tasks'],
  summary: 'Create the task from an export (JSONL), without embedding anything again.',
  request: { params: IdParams, body: { required: true, content: { [jsonl]: { schema: JsonlSchema } } } },
  responses: {
    201: json(
      z.object({ id: z.string(), version: z.number().int(), imported: z.number().int() }).openapi('Imported'),
      'The task created, and how many examples it got.',
    ),
    ...problems(400, 401, 403, 409, 413, 415, 422, 503),
  },
});

function exportStream(services: Services, task: Task): ReadableStream<Uint8Array> {
  const models = Object.fromEntries(
    Object.entries(task.modalities).map(([name, head]) => [name, head.model]),
  );
  const encoder = new TextEncoder();
  let after: number | undefined;
  return new ReadableStream({
    async pull(controller) {
      if (after === undefined) {
        after = 0;
        return controller.enqueue(encoder.encode(`${JSON.stringify(headerOf(task))}\n`));
      }
      const rows = await services.tasks.exampleRows(task.id, page, after);
      const lines = exampleLines(rows, models);
      if (lines.length === 0) return controller.close();
      after = lines[lines.length - 1]?.id ?? after;
      controller.enqueue(encoder.encode(lines.map((line) => `${JSON.stringify(line)}\n`).join('')));
    },
  });
}

/** Each modality's model, which must embed here, and its dimension. */
async function servedModels(header: TransferHeader, services: Services): Promise<Served> {
  const served: Record<string, { model: string; dimension: number }> = {};
  for (const [modality, { model }] of Object.entries(header.modalities)) {
    const info = await services.backend.model(model).catch((error: unknown) => {
      if (error instanceof BackendError && error.kind === 'unknown-model') return undefined;
      throw error;
    });
    if (info?.kind !== 'embedding') {
      const detail = `the model ${JSON.stringify(model)} of ${modality} is not an embedding model served here`;
      throw new ApiError(422, 'model-not-served', detail, { extensions: { model, modality } });
    }
    served[modality] = { model, dimension: info.dimension };
  }
  return served;
}

/** Folds the example lines into `task`, `page` at a time; how many there were. */
async function fillTask(services: Services, task: Task, lines: AsyncGenerator<Line>, served: Served) {
  const models = Object.fromEntries(Object.entries(served).map(([name, { model }]) => [name, model]));
  let batch: EmbeddedExample[] = [];
  let count = 0;
  let index = 0;
  const flush = async () => {
    if (batch.length > 0)
      await services.tasks.apply(task.id, { kind: 'add-examples', examples: batch, models });
    [batch, index] = [[], 0];
  };
  for await (const line of lines) {
    const example = parseExample(line.text, line.number, task.labels, served);
    for (const [modality, embedding] of example.embeddings) {
      batch.push({ modality, index, label: example.label, embedding, created: example.created });
    }
    [index, count] = [index + 1, count + 1];
    if (index === page) await flush();
  }
  await flush();
  return count;
}

async function importFrom(
  services: Services,
  id: string,
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
) {
  const lines = jsonlLines(body, { maxLines: maxImportLines, maxLineBytes, maxBytes });
  const first = await lines.next();
  if (first.done === true) throw new ApiError(400, 'malformed-line', 'line 1: the file is empty');
  const header = parseHeader(first.value.text);
  const served = await servedModels(header, services);
  const request = createRequestOf(id, header, services.modalities.names);
  const built = await buildTask(request, services.modalities, services.models, new Date());
  const created = await services.tasks.create(await prepareHeads(built, services));
  try {
    const imported = await fillTask(services, created, lines, served);
    const task = await services.tasks.require(id);
    return { id, version: task.version, imported };
  } catch (error) {
    await services.tasks.delete(id);
    throw error;
  }
}

/**
 * The largest import, in bytes, over the app's body cap: Cloudflare's request limit of most plans (100 MB holds
 * ~70,000 examples of a 256-dimensional model; a larger task moves in several tasks' files or on a larger plan).
 */
export const maxImportBytes = 100 * 1000 * 1000;

/** Whether a request is an import, which reads its body under {@link maxImportBytes} instead of the app's cap. */
export function isImport(method: string, path: string): boolean {
  return method === 'POST' && /^\/v1\/tasks\/[^/]+\/import$/.test(path);
}

const router = createRouter();
router.openAPIRegistry.registerPath(exportTask);

export const transferRoutes = router
  .openapi(importTask, async (c) => {
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > maxImportBytes) {
      const detail = `the file is over the limit of ${maxImportBytes} bytes`;
      throw new ApiError(413, 'body-too-large', detail, { extensions: { limit: maxImportBytes } });
    }
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/(x-ndjson|jsonl)\b/i.test(type)) {
      throw new ApiError(415, 'unsupported-media-type', `an import is ${jsonl} (or application/jsonl)`);
    }
    const body = c.req.raw.body;
    if (body === null) throw new ApiError(400, 'malformed-line', 'line 1: the file is empty');
    const answer = await importFrom(c.var.services, c.req.valid('param').id, body, maxImportBytes);
    c.header('Location', `/v1/tasks/${encodeURIComponent(answer.id)}`);
    c.header('ETag', etagOf(answer.version));
    return c.json(answer, 201);
  })
  // A stream, not JSON: a plain route (zod-openapi's handlers answer JSON), documented below.
  .get('/v1/tasks/:id/export', async (c) => {
    const id = TaskIdSchema.safeParse(c.req.param('id'));
    if (!id.success)
      throw new ApiError(400, 'invalid-request', `id: ${id.error.issues[0]?.message ?? 'invalid'}`);
    const { services } = c.var;
    const task = await services.tasks.require(id.data);
    return c.body(exportStream(services, task), 200, { 'content-type': jsonl, etag: etagOf(task.version) });
  });
