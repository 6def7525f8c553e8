// Types the Worker's exports for tests (`import { exports } from 'cloudflare:workers'`), as `wrangler types` would.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('../src/index');
  }
}
