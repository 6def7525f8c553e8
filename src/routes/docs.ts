/**
 * @module
 * `GET /docs`: Swagger UI over `/openapi.json`. The page loads Swagger UI from a CDN in the reader's browser, so
 * nothing extra is bundled into the Worker; it is not part of the API and not in the OpenAPI document.
 */
import { createRouter } from '../router.ts';

const swaggerUi = 'https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.17.14';

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>ModalFuse API</title>
    <link rel="stylesheet" href="${swaggerUi}/swagger-ui.css" />
  </head>
  <body>
    <div id="docs"></div>
    <script src="${swaggerUi}/swagger-ui-bundle.js" crossorigin></script>
    <script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs' });</script>
  </body>
</html>`;

export const docsRoutes = createRouter().get('/docs', (c) => c.html(page));
