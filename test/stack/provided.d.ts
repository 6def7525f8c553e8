// Values the `stack` global setup hands to the browser and CLI tests.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Worker under `wrangler dev`, e.g. http://127.0.0.1:41234. */
    edgeUrl: string;
    /** Folder of the test media: `{red,blue}-{0..3}.{png|jpg,wav}`. */
    fixtureDir: string;
  }
}
