// Types the Worker's exports for tests (`import { exports } from 'cloudflare:workers'`), as `wrangler types` would.
import type * as main from '../src/index';

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof main;
    }
  }
}
