/**
 * @module
 * `GET /docs`: Swagger UI (`@hono/swagger-ui`) over `/openapi.json`. The page's script and stylesheet are loaded
 * by the reader's browser from `DOCS_ASSETS_URL` (default: the jsDelivr CDN), never bundled into the Worker:
 * swagger-ui-dist is ~1.5 MB of JavaScript, half of a Worker's size budget. A deployment that must not depend on
 * a CDN serves `swagger-ui-dist@<version>` from its own origin (e.g. Workers Static Assets) and points
 * `DOCS_ASSETS_URL` at the folder holding it. The page is not part of the API, so not in the document.
 */
import { SwaggerUI } from '@hono/swagger-ui';
import { createRouter } from '../router.ts';

/** The swagger-ui-dist release the page asks for, pinned so a CDN cannot change it under us. */
export const swaggerUiVersion = '5.17.14';

export const docsRoutes = createRouter().get('/docs', (c) => {
  const ui = SwaggerUI({
    url: '/openapi.json',
    baseUrl: c.env?.DOCS_ASSETS_URL,
    version: swaggerUiVersion,
  });
  const head = '<meta charset="utf-8" /><title>ModalFuse API</title>';
  return c.html(`<!doctype html><html lang="en"><head>${head}</head><body>${ui}</body></html>`);
});
