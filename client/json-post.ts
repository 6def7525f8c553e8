/**
 * @module
 * Typed JSON calls for the routes that also take multipart (`/v1/classify`, `/v1/tasks/:id/examples`): for
 * those, Hono RPC's inferred input demands the JSON and the form body at once, so they get plain typed helpers
 * instead, with their types taken from the routes' own zod schemas.
 */
import type { z } from '@hono/zod-openapi';
import type { ClassificationSchema, ClassifyJsonSchema, InputsSchema } from '../src/classify/schema.ts';

export type ClassifyRequest = z.input<typeof ClassifyJsonSchema>;
export type Classification = z.infer<typeof ClassificationSchema>;

export interface ExamplesRequest {
  readonly examples: readonly { readonly label: string; readonly inputs: z.input<typeof InputsSchema> }[];
}

/** A typed answer: the parsed body when 2xx, else the problem+json body and the status. */
export type Answer<T> =
  | { readonly ok: true; readonly status: number; readonly body: T }
  | { readonly ok: false; readonly status: number; readonly problem: Record<string, unknown> };

export interface JsonTransport {
  readonly base: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: typeof fetch;
}

export async function postJson<T>(transport: JsonTransport, path: string, body: unknown): Promise<Answer<T>> {
  const response = await transport.fetch(`${transport.base}${path}`, {
    method: 'POST',
    headers: { ...transport.headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as unknown;
  return response.ok
    ? { ok: true, status: response.status, body: parsed as T }
    : { ok: false, status: response.status, problem: parsed as Record<string, unknown> };
}
