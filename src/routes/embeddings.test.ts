/**
 * @module
 * `POST /v1/embeddings` at the edge: OpenAI-shaped requests and errors, validated before the backend is asked, and a down
 * backend answering 503. Real vectors are covered end to end.
 */
import { describe, expect, it } from 'vitest';
import { expectOpenAIError, postJson } from '../../test/edge/helpers.ts';

describe('POST /v1/embeddings', () => {
  it.each([
    ['no model', { input: 'x' }],
    ['no input', { model: 'text-hash-256' }],
    ['an empty input array', { model: 'text-hash-256', input: [] }],
    ['an empty string, with the backend down', { model: 'text-hash-256', input: '' }],
    ['an empty string in the array', { model: 'text-hash-256', input: ['a', ''] }],
    ['token arrays', { model: 'text-hash-256', input: [[1, 2, 3]] }],
    ['too many inputs', { model: 'text-hash-256', input: Array(257).fill('x') }],
    ['an unknown encoding', { model: 'text-hash-256', input: 'x', encoding_format: 'hex' }],
    ['zero dimensions', { model: 'text-hash-256', input: 'x', dimensions: 0 }],
  ])('answers 400 for %s', async (_, body) => {
    const error = await expectOpenAIError(await postJson('/v1/embeddings', body), 400);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'invalid-request' });
  });

  it('answers 503 with Retry-After when the backend is down', async () => {
    const response = await postJson('/v1/embeddings', { model: 'text-hash-256', input: 'hello' });
    const error = await expectOpenAIError(response, 503);
    expect(error).toMatchObject({ type: 'server_error', code: 'backend-unavailable' });
    expect(response.headers.get('retry-after')).toBeTruthy();
  });
});
