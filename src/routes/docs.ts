/**
 * @module
 * `GET /docs`: Swagger UI over `/openapi.json`, served entirely from the Worker's own origin — no CDN. The page
 * loads `swagger-ui-dist`'s stylesheet and bundle from `/docs/assets/…`, which the Worker hands to its static
 * assets binding (`[assets]` in wrangler.toml, the `swagger-ui-dist` package folder; only {@link docsAssets} are
 * reachable), and starts Swagger UI from `/docs/init.js` rather than an inline script, so the page's CSP allows
 * scripts from 'self' only. Swagger UI sets inline styles, hence `style-src 'unsafe-inline'`.
 * `DOCS_ASSETS_URL` still overrides where the stylesheet and bundle come from (a folder holding
 * `swagger-ui-dist@<version>/`), and the CSP then names that origin. The page is not part of the API, so not in
 * the document.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../problem.ts';
import { createRouter } from '../router.ts';

/** The swagger-ui-dist release installed (package.json pins it); an override URL must serve the same one. */
export const swaggerUiVersion = '5.32.4';

/** The only files of the package the Worker serves, with their types (never left to guessing). */
export const docsAssets = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;

const initScript = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
});
`;

/** Where the stylesheet and bundle come from: our own origin, or the override's folder. */
function assetBase(override: string | undefined): string {
  if (override === undefined || override.trim() === '') return '/docs/assets';
  return `${override.replace(/\/+$/, '')}/swagger-ui-dist@${swaggerUiVersion}`;
}

/** The override's origin when it names another one, for the CSP. */
function foreignOrigin(base: string, self: string): string {
  const origin = new URL(base, self).origin;
  return origin === new URL(self).origin ? '' : ` ${origin}`;
}

export function docsPolicy(base: string, self: string): string {
  const other = foreignOrigin(base, self);
  return [
    "default-src 'none'",
    `script-src 'self'${other}`,
    `style-src 'self' 'unsafe-inline'${other}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function page(base: string): string {
  const head = [
    '<meta charset="utf-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    '<title>ModalFuse API</title>',
    `<link rel="stylesheet" href="${base}/swagger-ui.css" />`,
  ].join('');
  const scripts = `<script src="${base}/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script>`;
  return `<!doctype html><html lang="en"><head>${head}</head><body><div id="swagger-ui"></div>${scripts}</body></html>`;
}

async function asset(c: Context<AppEnv>, name: keyof typeof docsAssets): Promise<Response> {
  const assets = c.env?.ASSETS as Fetcher | undefined;
  if (assets === undefined)
    throw new ApiError(404, 'not-found', 'this deployment serves no static assets; set DOCS_ASSETS_URL');
  const stored = await assets.fetch(new URL(`/${name}`, c.req.url));
  if (!stored.ok) {
    await stored.body?.cancel();
    throw new ApiError(404, 'not-found', `the docs asset ${name} is missing from the deployment`);
  }
  const headers = new Headers({
    'content-type': docsAssets[name],
    'cache-control': 'public, max-age=86400',
    'x-content-type-options': 'nosniff',
  });
  const etag = stored.headers.get('etag');
  if (etag !== null) headers.set('etag', etag);
  return new Response(stored.body, { status: 200, headers });
}

const isDocsAsset = (name: string): name is keyof typeof docsAssets => Object.hasOwn(docsAssets, name);

export const docsRoutes = createRouter()
  .get('/docs', (c) => {
    const base = assetBase(c.env?.DOCS_ASSETS_URL);
    c.header('content-security-policy', docsPolicy(base, c.req.url));
    return c.html(page(base));
  })
  .get('/docs/init.js', (c) => {
    c.header('content-type', 'text/javascript; charset=utf-8');
    c.header('x-content-type-options', 'nosniff');
    return c.body(initScript);
  })
  .get('/docs/assets/:name', (c) => {
    const name = c.req.param('name');
    if (!isDocsAsset(name)) {
      const detail = `no docs asset ${JSON.stringify(name)}; there are: ${Object.keys(docsAssets).join(', ')}`;
      throw new ApiError(404, 'not-found', detail);
    }
    return asset(c, name);
  });
