/**
 * @module
 * A typed TypeScript client for the ModalFuse API, built on Hono RPC (`hc`) over the Worker's own route types:
 * request bodies, paths and JSON answers are checked by the compiler against the routes' zod schemas, so the
 * client cannot drift from the server. Only types are imported from `src/`; the client bundles nothing of it
 * and runs wherever `fetch` does (browsers, Node ≥ 18, Workers, Deno, Bun).
 *
 * ```ts
 * const api = createModalFuseClient({ baseUrl: 'http://127.0.0.1:8787', apiKey: process.env.MODALFUSE_KEY });
 * const res = await api.embeddings.v1.embeddings.$post({ json: { model: 'text-hash-256', input: 'hi' } });
 * if (res.ok) console.log((await res.json()).data[0]?.embedding);
 * ```
 * See `client/examples/` for more.
 */
import { hc } from 'hono/client';
import type { embeddingsRoutes } from '../src/routes/embeddings.ts';
import type { healthRoutes } from '../src/routes/health.ts';
import type { modelsRoutes } from '../src/routes/models.ts';
import type { tasksRoutes } from '../src/routes/tasks.ts';
import {
  postJson,
  type Answer,
  type Classification,
  type ClassifyRequest,
  type ExamplesRequest,
} from './json-post.ts';

export type { Answer, Classification, ClassifyRequest, ExamplesRequest } from './json-post.ts';

export interface ClientOptions {
  /** Where the API is served, e.g. `https://modalfuse.example.workers.dev`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; leave out for an open (development) API. */
  readonly apiKey?: string | undefined;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/**
 * One typed `hc` client per JSON route group, and typed helpers for the two routes that also take multipart,
 * all sharing base URL, key and transport.
 */
export function createModalFuseClient(options: ClientOptions) {
  const headers: Record<string, string> =
    options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` };
  const config = { headers, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) };
  const base = options.baseUrl.replace(/\/+$/, '');
  const transport = { base, headers, fetch: options.fetch ?? ((input, init) => fetch(input, init)) };
  return {
    embeddings: hc<typeof embeddingsRoutes>(base, config),
    tasks: hc<typeof tasksRoutes>(base, config),
    models: hc<typeof modelsRoutes>(base, config),
    health: hc<typeof healthRoutes>(base, config),
    /** `POST /v1/classify`; a batch (`items`) answers an array. */
    classify: (request: ClassifyRequest): Promise<Answer<Classification | Classification[]>> =>
      postJson(transport, '/v1/classify', request),
    /** `POST /v1/tasks/:id/examples`. */
    teach: (task: string, request: ExamplesRequest): Promise<Answer<{ added: number }>> =>
      postJson(transport, `/v1/tasks/${encodeURIComponent(task)}/examples`, request),
  };
}

export type ModalFuseClient = ReturnType<typeof createModalFuseClient>;
