// Values the e2e global setup (Node) hands to the tests running inside workerd.
import type { FixtureItem, PhotoFixture } from './support/fixture-types';

declare module 'vitest' {
  export interface ProvidedContext {
    backendUrl: string;
    /** The bearer token that backend (and every one the control server starts) needs; the Worker's `BACKEND_TOKEN`. */
    backendToken: string;
    /** Starts and kills extra backend processes (see `test/support/backend-control.ts`). */
    backendControlUrl: string;
    fixtures: FixtureItem[];
    /** Real photographs from npm packages, labelled (`test/support/photos.ts`). */
    photos: PhotoFixture[];
    /** A local TEI-compatible embedding server (`test/support/tei-server.ts`), token `tei-test-token`. */
    teiUrl: string;
    /** A local DNS-over-HTTPS resolver (`test/support/doh-server.ts`) serving a small test zone. */
    dohUrl: string;
  }
}
