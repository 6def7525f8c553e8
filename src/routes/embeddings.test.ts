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
    ['more inputs than OpenAI’s 2048', { model: 'text-hash-256', input: Array(2049).fill('x') }],
    ['strings and token arrays mixed', { model: 'text-hash-256', input: ['a', [1, 2]] }],
    ['an empty token array', { model: 'text-hash-256', input: [[]] }],
    ['an unknown encoding', { model: 'text-hash-256', input: 'x', encoding_format: 'hex' }],
    ['zero dimensions', { model: 'text-hash-256', input: 'x', dimensions: 0 }],
  ])('answers 400 for %s', async (_, body) => {
    const error = await expectOpenAIError(await postJson('/v1/embeddings', body), 400);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'invalid-request' });
  });

  it.each([
    ['a token array', [1, 2, 3]],
    ['token arrays', [[1, 2, 3], [4]]],
  ])('refuses %s with OpenAI’s error, naming `input`, before the backend is asked', async (_, input) => {
    const response = await postJson('/v1/embeddings', { model: 'text-hash-256', input });
    const error = await expectOpenAIError(response, 400);
    expect(error).toMatchObject({
      type: 'invalid_request_error',
      code: 'token-input-unsupported',
      param: 'input',
      message: expect.stringContaining('check_embedding_ctx_length=False') as string,
    });
  });

  it('takes 2048 inputs (LangChain JS sends 512), then asks the backend', async () => {
    const response = await postJson('/v1/embeddings', {
      model: 'text-hash-256',
      input: Array(2048).fill('x'),
    });
    expect((await expectOpenAIError(response, 503)).code).toBe('backend-unavailable');
  });

  it('answers 413 for inputs over 16 MiB in all, naming `input`', async () => {
    const input = [`${'é'.repeat(4 * 1024 * 1024)}`, 'x'.repeat(8 * 1024 * 1024 + 1)];
    const error = await expectOpenAIError(await postJson('/v1/embeddings', { model: 'm', input }), 413);
    expect(error).toMatchObject({ code: 'input-too-large', param: 'input', limit: 16 * 1024 * 1024 });
  });

  // The edge knows a default model's modality without the backend (`ModelCatalog.modalityOf`), so the client's
  // broken bytes are its 4xx even while the backend is down; a sound input still gets the 503 to retry.
  it.each([
    ['mobilenetv2-int8', 'data:image/png;base64,iVBORw0KGgo=', 422],
    ['image-text-use-lite', 'data:image/png;base64,iVBORw0KGgo=', 422],
    ['speech-embedding', 'data:audio/wav;base64,UklGRgAAAABXQVZF', 422],
    ['video-frames-mobilenetv2-int8', 'data:video/mp4;base64,AAAAGGZ0eXBtcDQy', 422],
    ['video-audio-speech-embedding', `data:video/mp4;base64,${btoa('not a video at all')}`, 415],
    ['use-lite', 'x'.repeat(300 * 1024), 413],
  ])('refuses a broken input to %s with its 4xx while the backend is down', async (model, input, status) => {
    const response = await postJson('/v1/embeddings', { model, input: [input] });
    const error = await expectOpenAIError(response, status);
    expect(error).toMatchObject({ type: 'invalid_request_error' });
  });

  it('answers 503 with Retry-After when the backend is down', async () => {
    const response = await postJson('/v1/embeddings', { model: 'text-hash-256', input: 'hello' });
    const error = await expectOpenAIError(response, 503);
    expect(error).toMatchObject({ type: 'server_error', code: 'backend-unavailable' });
    expect(response.headers.get('retry-after')).toBeTruthy();
  });
});
