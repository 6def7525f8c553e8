/**
 * @module
 * OpenAI's Files API for batch input: `POST /v1/files` (multipart: `purpose=batch` and a JSONL `file`),
 * `GET /v1/files` (newest first, paged by `after`), `GET /v1/files/:id`, `GET /v1/files/:id/content` (also a
 * batch's output and error files), `DELETE /v1/files/:id` (an `inference` key: its own files only, `middleware/ownership.ts`). A tenant's files
 * only; errors OpenAI-shaped.
 */
import { createRoute, z } from '@hono/zod-openapi';
import {
  FileDeletedSchema,
  FileObjectSchema,
  FileUploadSchema,
  listPage,
  PageQuerySchema,
  pageSchema,
} from '../batches/schema.ts';
import { json, openAIProblems } from '../openapi.ts';
import { checkOwnKey } from '../middleware/ownership.ts';
import { ApiError } from '../problem.ts';
import { createRouter } from '../router.ts';

const IdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'file-0000abc' }),
});

const uploadRoute = createRoute({
  method: 'post',
  path: '/v1/files',
  tags: ['batches'],
  summary: 'Upload a JSONL file of batch requests (OpenAI-compatible).',
  request: { body: { required: true, content: { 'multipart/form-data': { schema: FileUploadSchema } } } },
  responses: { 200: json(FileObjectSchema, 'The stored file.'), ...openAIProblems(400, 401, 413) },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/files',
  tags: ['batches'],
  summary: "The tenant's files, newest first.",
  request: { query: PageQuerySchema },
  responses: {
    200: json(pageSchema(FileObjectSchema, 'FileList'), 'A page of files.'),
    ...openAIProblems(400, 401),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/files/{id}',
  tags: ['batches'],
  summary: 'A file.',
  request: { params: IdParams },
  responses: { 200: json(FileObjectSchema, 'The file.'), ...openAIProblems(401, 404) },
});

const contentRoute = createRoute({
  method: 'get',
  path: '/v1/files/{id}/content',
  tags: ['batches'],
  summary: "A file's bytes: an input file, or a batch's output or error file (JSONL).",
  request: { params: IdParams },
  responses: {
    200: { description: 'The bytes.', content: { 'application/jsonl': { schema: z.string() } } },
    ...openAIProblems(401, 404),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/files/{id}',
  tags: ['batches'],
  summary: 'Delete a file.',
  request: { params: IdParams },
  responses: { 200: json(FileDeletedSchema, 'Deleted.'), ...openAIProblems(401, 403, 404) },
});

const router = createRouter();
router.openAPIRegistry.registerPath(contentRoute);

export const filesRoutes = router
  .openapi(uploadRoute, async (c) => {
    const { file } = c.req.valid('form') as { file: unknown };
    if (!(file instanceof File)) throw new ApiError(400, 'invalid-request', 'file must be a file part');
    const stored = await c.var.services.files.put(
      file.name || 'input.jsonl',
      'batch',
      await file.arrayBuffer(),
      c.var.apiKey,
    );
    return c.json(stored, 200);
  })
  .openapi(listRoute, async (c) => {
    const { limit, after } = c.req.valid('query');
    const page = await c.var.services.files.list(limit, after);
    return c.json(listPage(page.data, page.hasMore), 200);
  })
  .openapi(getRoute, async (c) => c.json(await c.var.services.files.require(c.req.valid('param').id), 200))
  .openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    checkOwnKey(c, await c.var.services.files.createdBy(id), 'delete the files');
    await c.var.services.files.delete(id);
    return c.json({ id, object: 'file' as const, deleted: true }, 200);
  })
  // Bytes, not JSON: a plain route (zod-openapi's handlers answer JSON), documented below.
  .get('/v1/files/:id/content', async (c) => {
    const object = await c.var.services.files.content(c.req.param('id'));
    const headers = { 'content-type': 'application/jsonl', 'content-length': String(object.size) };
    return c.body(object.body, 200, headers);
  });
