/**
 * @module
 * `/openapi.json` checked by a real OpenAPI 3.1 validator (`@seriousme/openapi-schema-validator`, Ajv-based, so it
 * runs in Node: workerd forbids the code generation Ajv relies on). The app is built in Node and asked for its
 * document; every route the API answers must be in it.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';

/** The Worker's app, seen through the little this test needs. */
interface App {
  request(path: string): Promise<Response>;
  readonly routes: readonly { readonly method: string; readonly path: string }[];
}

/**
 * Imported by a computed specifier so that the Node type-check (`tsconfig.json`, Node types) does not pull in the
 * Worker's sources, which are type-checked against the Workers types by `tsconfig.worker.json`.
 */
const appModule = '../../src/app.ts';
const { createApp } = (await import(appModule)) as { createApp: () => App };

interface Document {
  [member: string]: unknown;
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
}

/** The API: `/v1/*` and the probes. Pages for people (`/docs`, a playground) and the document itself are not. */
const isApi = (path: string) => path.startsWith('/v1/') || path === '/healthz' || path === '/readyz';

async function fetchDocument(): Promise<Document> {
  const response = await createApp().request('/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const document = await fetchDocument();
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every API route the app answers', async () => {
    const { paths } = await fetchDocument();
    const documented = Object.entries(paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const answered = createApp()
      .routes.filter((route) => route.method !== 'ALL' && isApi(route.path))
      .map((route) => `${route.method} ${route.path}`);
    expect([...new Set(answered)].sort()).toEqual([...new Set(documented)].sort());
  });

  it('declares the error statuses of every operation, OpenAI-shaped on /v1/embeddings', async () => {
    const { paths } = await fetchDocument();
    for (const [path, operations] of Object.entries(paths)) {
      if (path === '/healthz') continue; // answers 200 without any I/O
      for (const [method, operation] of Object.entries(operations)) {
        expect(Object.keys(operation.responses), `${method} ${path}`).toContain('500');
      }
    }
    const embeddings = paths['/v1/embeddings']?.post?.responses['400'];
    expect(JSON.stringify(embeddings)).toContain('#/components/schemas/OpenAIError');
  });

  it('catches a broken document (the validator can fail)', async () => {
    const document = await fetchDocument();
    const broken = { ...document, paths: { '/v1/models': { get: { responses: 'none' } } } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });
});
