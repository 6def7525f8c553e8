// Values the `batch` global setup (Node) hands to the tests running inside workerd.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The proxy in front of the killable backend: the Worker's `BACKEND_URL`. */
    batchBackendUrl: string;
    /** The bearer token that backend requires: the Worker's `BACKEND_TOKEN`. */
    batchBackendToken: string;
    /** Kills and restarts that backend (see `test/support/killable-backend.ts`). */
    batchControlUrl: string;
  }
}
