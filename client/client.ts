/**
 * @module
 * A typed client for the ModalFuse API, built on Hono RPC (`hc`) over the Worker's own route types: paths,
 * parameters, request bodies and the JSON answers of every status are checked by the compiler against the
 * routes' zod schemas, so the client cannot drift from the server. Only types come from `src/`; at run time the
 * client is `hono/client` and `fetch`, so it runs wherever `fetch` does (browsers, Node ≥ 18, Workers, Deno, Bun).
 *
 * ```ts
 * const api = createModalFuseClient({ baseUrl: 'http://127.0.0.1:8787', apiKey: process.env.MODALFUSE_API_KEY });
 * const res = await api.embeddings.v1.embeddings.$post({ json: { model: 'use-lite', input: 'hi' } });
 * if (res.ok) console.log((await res.json()).data[0]?.embedding);   // typed by the route's 200 schema
 * const task = await ok(api.tasks.v1.tasks[':id'].$get({ param: { id: 'colours' } }));  // or throws ApiError
 * ```
 */
import { hc } from 'hono/client';
import type { batchesRoutes } from '../src/routes/batches.ts';
import type { classifyRoutes } from '../src/routes/classify.ts';
import type { embeddingsRoutes } from '../src/routes/embeddings.ts';
import type { examplesRoutes } from '../src/routes/examples.ts';
import type { filesRoutes } from '../src/routes/files.ts';
import type { fusedEmbeddingsRoutes } from '../src/routes/fused-embeddings.ts';
import type { healthRoutes } from '../src/routes/health.ts';
import type { modelsRoutes } from '../src/routes/models.ts';
import type { tasksRoutes } from '../src/routes/tasks.ts';
import type { tenantsRoutes } from '../src/routes/tenants.ts';
import { ApiError, type OkBody } from './errors.ts';

export interface ClientOptions {
  /** Where the API is served, e.g. `https://modalfuse.example.workers.dev`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; leave out for an open (development) API. */
  readonly apiKey?: string | undefined;
  /** Admin keys only: the tenant to act as (sent as `ModalFuse-Tenant`); default: the key's own. */
  readonly tenant?: string | undefined;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** A transport whose failure to get any answer is an {@link ApiError} of status 0 naming the API's address. */
function reaching(base: string, transport: typeof fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await transport(input, init);
    } catch (error) {
      // An abort is the caller's decision, not an outage: it must not be retried.
      if (error instanceof Error && error.name === 'AbortError') throw error;
      // undici says only "fetch failed"; the reason (ECONNREFUSED, bad port, …) is in its cause.
      const { cause } = error as { cause?: { code?: unknown; message?: unknown } };
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new ApiError(0, `cannot reach ${base} (${String(reason)}); is the API running?`);
    }
  };
}

function rpc(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = {
    ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }),
    ...(options.tenant === undefined ? {} : { 'modalfuse-tenant': options.tenant }),
  };
  const config = { headers, fetch: reaching(base, options.fetch ?? ((input, init) => fetch(input, init))) };
  return {
    embeddings: hc<typeof embeddingsRoutes>(base, config),
    fusedEmbeddings: hc<typeof fusedEmbeddingsRoutes>(base, config),
    tasks: hc<typeof tasksRoutes>(base, config),
    tenants: hc<typeof tenantsRoutes>(base, config),
    examples: hc<typeof examplesRoutes>(base, config),
    classifier: hc<typeof classifyRoutes>(base, config),
    models: hc<typeof modelsRoutes>(base, config),
    health: hc<typeof healthRoutes>(base, config),
    files: hc<typeof filesRoutes>(base, config),
    batches: hc<typeof batchesRoutes>(base, config),
  };
}

type Rpc = ReturnType<typeof rpc>;
// Routes that take JSON or multipart: Hono RPC's inferred input demands both bodies at once, though the server
// reads the one its content type names. The helpers below send JSON alone and keep the routes' answer types.
type ClassifyArgs = Parameters<Rpc['classifier']['v1']['classify']['$post']>[0];
type TeachArgs = Parameters<Rpc['examples']['v1']['tasks'][':id']['examples']['$post']>[0];

/** `POST /v1/classify`'s JSON body: one item (`inputs`), or a batch (`items`), with an optional fusion. */
export type ClassifyRequest = ClassifyArgs['json'];
/** `POST /v1/tasks/:id/examples`'s JSON body: `{examples: [{label, inputs}]}`. */
export type ExamplesRequest = TeachArgs['json'];

/** One `hc` client per route group, and JSON helpers for the two routes that also take multipart. */
export function createModalFuseClient(options: ClientOptions) {
  const groups = rpc(options);
  return {
    ...groups,
    /** `POST /v1/classify` with a JSON body; a batch (`items`) answers an array. */
    classify: (json: ClassifyRequest) => groups.classifier.v1.classify.$post({ json } as ClassifyArgs),
    /** `POST /v1/tasks/:id/examples` with a JSON body; `ifMatch` makes the write conditional on a version. */
    teach: (id: string, json: ExamplesRequest, ifMatch?: string) =>
      groups.examples.v1.tasks[':id'].examples.$post({
        param: { id },
        json,
        header: ifMatch === undefined ? {} : { 'if-match': ifMatch },
      } as TeachArgs),
  };
}

export type ModalFuseClient = ReturnType<typeof createModalFuseClient>;

type Answer<F extends (...args: never[]) => unknown> = OkBody<Awaited<ReturnType<F>>>;
/** A task as the API shows it (`GET /v1/tasks/:id`). */
export type TaskView = Answer<ModalFuseClient['tasks']['v1']['tasks'][':id']['$get']>;
/** One entry of the task list (`GET /v1/tasks`). */
export type TaskSummary = Answer<ModalFuseClient['tasks']['v1']['tasks']['$get']>['data'][number];
/** The answer for one item of `POST /v1/classify`. */
export type Classification = Exclude<Answer<ModalFuseClient['classify']>, readonly unknown[]>;
/** A batch (`GET /v1/batches/:id`), in OpenAI's shape. */
export type BatchView = Answer<ModalFuseClient['batches']['v1']['batches'][':id']['$get']>;
/** The metrics of `POST /v1/tasks/:id/evaluate`. */
export type TaskEvaluation = Answer<ModalFuseClient['tasks']['v1']['tasks'][':id']['evaluate']['$post']>;
