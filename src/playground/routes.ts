/**
 * @module
 * Serves the playground: `GET /` (the page) and `GET /playground.js` (its script), both from the Worker, with no
 * third-party origin. The strategies offered are the fusion registry's, so a new strategy appears on its own.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { defaultStrategy, strategyNames } from '../fusion/registry.ts';
import { clientApp, clientMain } from './client-app.ts';
import { clientEvaluation } from './client-evaluation.ts';
import { clientMedia } from './client-media.ts';
import { evaluationViewRoutes } from './evaluation-route.ts';
import { playgroundPage } from './page.ts';

const script = [clientApp, clientMedia, clientMain, clientEvaluation].join('\n');

/** Same-origin only: the page talks to this API and nothing else. */
const contentSecurityPolicy =
  "default-src 'self'; img-src 'self' blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export const playgroundRoutes = new Hono<AppEnv>()
  .get('/', (c) => {
    c.header('content-security-policy', contentSecurityPolicy);
    const strategies = [defaultStrategy, ...strategyNames.filter((name) => name !== defaultStrategy)];
    const { modalities } = c.var.services;
    // A weight per modality a task can fuse: `video` itself is only its parts' input.
    const fusable = modalities.names.filter((name) => modalities.get(name).partsOnly !== true);
    return c.html(playgroundPage({ strategies, modalities: fusable }));
  })
  .get('/playground.js', (c) => {
    c.header('content-type', 'text/javascript; charset=utf-8');
    c.header('cache-control', 'no-cache');
    return c.body(script);
  })
  .route('/', evaluationViewRoutes);
