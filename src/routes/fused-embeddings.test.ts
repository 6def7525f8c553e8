/**
 * @module
 * `POST /v1/embeddings/fused` at the edge without a backend: refusals before any backend call, and 503 when the
 * backend is down (the vectors themselves are checked end to end and in `fusion/feature.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import { expectProblem, postJson } from '../../test/edge/helpers.ts';

const path = '/v1/embeddings/fused';

describe('POST /v1/embeddings/fused', () => {
  it('refuses no inputs, an unknown modality or method, and a size out of range', async () => {
    expect((await expectProblem(await postJson(path, { inputs: {} }), 400)).code).toBe('no-inputs');
    await expectProblem(await postJson(path, { inputs: { smell: 'roses' } }), 400);
    await expectProblem(await postJson(path, { inputs: { text: 'hi' }, method: 'median' }), 400);
    await expectProblem(await postJson(path, { inputs: { text: 'hi' }, dimensions: 2 }), 400);
    await expectProblem(await postJson(path, { inputs: { text: 'hi' }, weights: { text: -1 } }), 400);
  });

  it('answers 503 when the backend is down', async () => {
    const response = await postJson(path, { inputs: { text: 'a red apple' } });
    await expectProblem(response, 503);
  });
});
