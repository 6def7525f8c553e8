/**
 * @module
 * An app inside workerd whose backend embeds text by its words (imported by tests only): each word of
 * {@link keywords} is one dimension, so a text says which labels it is about, and classify answers can be checked
 * without a model. It serves the text adapter's default model (`use-lite`) and a second one of another dimension;
 * calls go through the real routes, Durable Objects and the app's own heads cache (one app: one isolate).
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createApp } from '../../src/app.ts';
import type { BackendClient, ModelInfo } from '../../src/backend/types.ts';
import { BackendError } from '../../src/backend/errors.ts';
import type { AppEnv } from '../../src/env.ts';
import { bindings } from './helpers.ts';
import type { Call, Keys } from './tenants.ts';

export const keywords = ['red', 'blue', 'cat', 'dog', 'bird', 'fish', 'sun', 'moon'] as const;

/** The models served: the text default, and one whose vectors are twice as long. */
const served: ModelInfo[] = [
  {
    id: 'use-lite',
    modality: 'text',
    kind: 'embedding',
    dimension: keywords.length,
    executionProvider: 'cpu',
  },
  {
    id: 'wide-text',
    modality: 'text',
    kind: 'embedding',
    dimension: 2 * keywords.length,
    executionProvider: 'cpu',
  },
];

function embedText(text: string, dimension: number): Float32Array {
  const vector = new Float32Array(dimension);
  keywords.forEach((word, i) => {
    if (text.includes(word)) vector[i] = 1;
  });
  // A little of every dimension, so that a text of no keyword is still a direction.
  return vector.map((value) => value + 0.01);
}

function keywordClient(): BackendClient {
  const find = (name: string) => served.find((info) => info.id === name);
  return {
    url: 'http://backend.test',
    embed: (model, inputs) => {
      const info = find(model);
      if (info?.kind !== 'embedding') return Promise.reject(new BackendError('unknown-model', model));
      const decoder = new TextDecoder();
      return Promise.resolve(inputs.map((input) => embedText(decoder.decode(input.bytes), info.dimension)));
    },
    models: () => Promise.resolve(served),
    model: (name) => {
      const info = find(name);
      return info ? Promise.resolve(info) : Promise.reject(new BackendError('unknown-model', name));
    },
    ready: () => Promise.resolve(true),
  };
}

/** A fresh app (its own isolate state: heads cache, metadata) over the keyword backend. */
export function keywordApp(): OpenAPIHono<AppEnv> {
  return createApp({ backend: keywordClient });
}

/** Calls `app` as the key `name` of `keys`, as the Worker would, waiting for its deferred work. */
export function callApp(app: OpenAPIHono<AppEnv>, keys: Keys, name: string): Call {
  return async (path, init = {}) => {
    const headers = { ...keys.auth(name), ...init.headers };
    const request = new Request(`http://edge.test${path}`, { ...init, headers });
    const ctx = createExecutionContext();
    const env = bindings({ API_KEY_HASHES: keys.config, BACKEND_URL: 'http://backend.test' });
    const response = await app.fetch(request, env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

/** A JSON request's init. */
export function jsonInit(method: string, body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
