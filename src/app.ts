/**
 * @module
 * Assembles the edge API: request id, Server-Timing, auth, rate limit and a body cap in front of every route, then
 * the services (made once per app, so once per isolate: the state the backend clients keep between requests), the
 * route groups, `/openapi.json`, and problem+json for every error.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { timing } from 'hono/timing';
import { builtinAdapters } from '../adapters/registry.ts';
import type { EdgeAdapter } from '../adapters/types.ts';
import { createIsolateState } from './backend/isolate-state.ts';
import { createKServeClient } from './backend/kserve.ts';
import type { AppEnv } from './env.ts';
import { handleError, handleNotFound } from './error-handler.ts';
import { apiKeyAuth } from './middleware/auth.ts';
import { cors } from './middleware/cors.ts';
import { openAIErrors } from './middleware/openai-errors.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { drainBody } from './middleware/drain-body.ts';
import { requestLog } from './middleware/request-log.ts';
import { services } from './middleware/services.ts';
import { createModalities } from './modalities.ts';
import { playgroundRoutes } from './playground/routes.ts';
import { ApiError } from './problem.ts';
import { createRouter } from './router.ts';
import { batchesRoutes } from './routes/batches.ts';
import { classifyRoutes } from './routes/classify.ts';
import { docsRoutes } from './routes/docs.ts';
import { embeddingsRoutes } from './routes/embeddings.ts';
import { examplesRoutes } from './routes/examples.ts';
import { filesRoutes } from './routes/files.ts';
import { fusedEmbeddingsRoutes } from './routes/fused-embeddings.ts';
import { healthRoutes } from './routes/health.ts';
import { modelsRoutes } from './routes/models.ts';
import { tasksRoutes } from './routes/tasks.ts';
import { tenantsRoutes } from './routes/tenants.ts';
import { isImport, transferRoutes } from './routes/transfer.ts';
import type { Assembly, BackendFactory } from './services.ts';
import { withTenantHeader } from './tenants/openapi.ts';

export interface AppOptions {
  /** The adapters served; default: the built-ins of `adapters/registry.ts`. */
  readonly adapters?: readonly EdgeAdapter[];
  /** Builds the client of one backend of the pool; default: KServe v2 over HTTP. */
  readonly backend?: BackendFactory;
  /** The largest request body accepted, in bytes. */
  readonly maxBodyBytes?: number;
}

export const defaultMaxBodyBytes = 32 * 1024 * 1024;

/** `/openapi.json`: every mounted route, Bearer auth on all of them but the probes (which opt out). */
function documentApi(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API key whose SHA-256 is in the API_KEY_HASHES secret; not required when none is configured. ' +
      "A key reaches its tenant's tasks only; another tenant's task answers as a missing one (404).",
  });
  const config = {
    openapi: '3.1.0',
    info: {
      title: 'ModalFuse',
      version: '0.1.0',
      description: 'Multimodal classification and embeddings at the edge, with decision-level fusion.',
    },
    security: [{ bearer: [] }],
  };
  app.get('/openapi.json', (c) => c.json(withTenantHeader(app.getOpenAPI31Document(config))));
}

/** What the app's services are built from; its state lives as long as the app, once per isolate. */
function assemble(options: AppOptions): Assembly {
  const state = createIsolateState();
  return {
    modalities: createModalities(options.adapters ?? builtinAdapters),
    backend:
      options.backend ??
      ((url, inferTimeoutMs, credentials, configured) =>
        createKServeClient(url, { inferTimeoutMs, credentials, configured, metadata: state.metadata })),
    state,
  };
}

export function createApp(options: AppOptions = {}): OpenAPIHono<AppEnv> {
  const maxSize = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const app = createRouter();
  app.use(requestId());
  app.use(requestLog());
  app.use(cors());
  app.use(drainBody(maxSize));
  app.use(timing({ totalDescription: 'total' }));
  for (const path of ['/v1/embeddings', '/v1/files', '/v1/files/*', '/v1/batches', '/v1/batches/*']) {
    app.use(path, openAIErrors());
  }
  app.use('/v1/*', apiKeyAuth());
  app.use('/v1/*', rateLimit());
  const capped = bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, 'body-too-large', `the request body is over the limit of ${maxSize} bytes`);
    },
  });
  // A task's import is read line by line under its own cap (`routes/transfer.ts`), never whole.
  app.use('/v1/*', (c, next) => (isImport(c.req.method, c.req.path) ? next() : capped(c, next)));
  app.use(services(assemble(options)));
  app.route('/', healthRoutes);
  app.route('/', modelsRoutes);
  app.route('/', tasksRoutes);
  app.route('/', transferRoutes);
  app.route('/', tenantsRoutes);
  app.route('/', examplesRoutes);
  app.route('/', classifyRoutes);
  app.route('/', embeddingsRoutes);
  app.route('/', fusedEmbeddingsRoutes);
  app.route('/', filesRoutes);
  app.route('/', batchesRoutes);
  app.route('/', docsRoutes);
  app.route('/', playgroundRoutes);
  documentApi(app);
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}
