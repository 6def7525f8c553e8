// Values the `stack` global setup hands to the browser and CLI tests.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Worker under `wrangler dev`, e.g. http://127.0.0.1:41234. */
    edgeUrl: string;
    /** The backend behind it, which requires a bearer token (random per run) that only the edge was given. */
    stackBackendUrl: string;
    /** Folder of the test media: `{red,blue}-{0..3}.{png|jpg,wav}`. */
    fixtureDir: string;
  }
}
