/**
 * @module
 * Pieces every route definition shares: the problem+json schema and a helper that declares a route's error
 * responses, so `/openapi.json` documents each status a route can answer.
 */
import { z } from '@hono/zod-openapi';
import { problemContentType } from './problem.ts';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/unknown-modality' }),
    title: z.string().openapi({ example: 'Bad Request' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: 'unknown modality "smell"; known: text, image, audio' }),
    instance: z.string().openapi({ example: '/v1/classify' }),
    code: z.string().openapi({ example: 'unknown-modality' }),
    requestId: z.string().optional(),
  })
  .catchall(z.unknown())
  .openapi('Problem', { description: 'RFC 9457 problem details, with extension members.' });

const descriptions: Readonly<Record<number, string>> = {
  400: 'The request is malformed or names something unknown (the problem lists what is known).',
  401: 'A valid `Authorization: Bearer <key>` is required.',
  404: 'Not found.',
  409: 'It already exists.',
  413: 'The body or an input is over a limit.',
  415: 'An input is of a type the adapter refuses, or not the type it was declared as.',
  422: 'An input is well-formed but unusable (broken, over a limit, or undecodable by the model).',
  403: 'The API key may not do this.',
  429: 'Too many requests for this API key; retry after `Retry-After` seconds.',
  503: 'The inference backend is unavailable; retry after `Retry-After` seconds.',
};

/** Response entries for the given error statuses (plus 500, which any route may answer). */
export function problems(...statuses: number[]) {
  const all = [...statuses, 500];
  return Object.fromEntries(
    all.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'An unexpected error on our side.',
        content: { [problemContentType]: { schema: ProblemSchema } },
      },
    ]),
  );
}

/** A JSON response entry. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export const OpenAIErrorSchema = z
  .object({
    error: z
      .object({
        message: z.string(),
        type: z.string().openapi({ example: 'invalid_request_error' }),
        param: z.string().nullable().openapi({ example: 'input' }),
        code: z.string().nullable().openapi({ example: 'invalid-request' }),
      })
      .catchall(z.unknown()),
  })
  .openapi('OpenAIError', { description: "OpenAI's error shape, used by the OpenAI-compatible routes." });

/** Response entries for the given error statuses of an OpenAI-compatible route (plus 500). */
export function openAIProblems(...statuses: number[]) {
  const all = [...statuses, 500];
  return Object.fromEntries(
    all.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'An unexpected error on our side.',
        content: { 'application/json': { schema: OpenAIErrorSchema } },
      },
    ]),
  );
}
