/**
 * @module
 * An exception inside a backend WASM decoder is the client's bad bytes, not a sick backend: the client gets a
 * 4xx, and the edge's circuit breaker does not take the (healthy) backend out of rotation for everyone else.
 */
import { describe, expect, it } from 'vitest';
import { audio } from '../../adapters/audio/edge.ts';
import { defined, expectOpenAIError, postJson, toBase64 } from './helpers.ts';

const opusFixture = import.meta.glob<string>('../../adapters/audio/fixtures/tone-16k-mono.opus', {
  query: '?inline',
  import: 'default',
  eager: true,
});
const opusUrl = defined(Object.values(opusFixture)[0], 'the Ogg Opus fixture');
const opus = Uint8Array.from(atob(opusUrl.slice(opusUrl.indexOf(',') + 1)), (char) => char.charCodeAt(0));

function embed(bytes: Uint8Array): Promise<Response> {
  return postJson('/v1/embeddings', {
    model: audio.defaultModel,
    input: [`data:audio/ogg;base64,${toBase64(bytes)}`],
  });
}

describe('a decoder that throws on the backend', () => {
  it('answers 422 for an Ogg Opus cut mid-page, and the backend keeps serving the next request', async () => {
    // Cut 71 bytes short: the edge's header scan accepts it, ogg-opus-decoder's parser throws a RangeError.
    const cut = opus.subarray(0, opus.length - 71);
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await expectOpenAIError(await embed(cut), 422);
      expect(error).toMatchObject({ code: 'input-rejected-by-model', adapterCode: 'malformed' });
    }
    const response = await embed(opus);
    expect(response.status, await response.clone().text()).toBe(200);
  });
});
