/**
 * @module
 * What the routes need from the process: the model registry and a few facts, passed in once so that handlers
 * stay thin and the app can be built around any registry.
 */
import type { AuthSettings } from './auth.ts';
import type { ExecutionProvider } from '../runtime/execution-provider.ts';
import type { ModelRegistry } from '../runtime/registry.ts';

export interface AppDeps {
  readonly registry: ModelRegistry;
  /** The server's version (package.json). */
  readonly version: string;
  /** The execution provider chosen at start. */
  readonly provider: ExecutionProvider;
  /** True once graceful shutdown began: readiness answers 503 while in-flight requests finish. */
  readonly isDraining: () => boolean;
  /** Where each request's JSON log line goes (`request-log.ts`); absent: requests are not logged. */
  readonly logRequest?: (line: string) => void;
  /** Where internal errors are logged (one entry each). */
  readonly logError: (line: string) => void;
  /** The bearer token and the paths open without it; absent: every route is open. */
  readonly auth?: AuthSettings;
  /**
   * Model metadata without ModalFuse's `parameters`, as a plain Triton / KServe server answers
   * (`MODALFUSE_METADATA_PARAMETERS=off`): to check an edge configured for such a server.
   */
  readonly plainMetadata?: boolean;
  /** Largest request body accepted; 64 MiB when absent. */
  readonly maxBodyBytes?: number;
}
