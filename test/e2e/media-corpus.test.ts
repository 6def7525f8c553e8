/**
 * The media corpus end to end: every file, as a data URL with the type a client would declare, through
 * `/v1/embeddings` of the Worker (inside workerd) and a real backend process on the default image and audio models.
 * The accepted files go in one request per modality and each gets an embedding; every refused file gets the 4xx its
 * manifest entry promises (the edge's own problem, or `input-rejected-by-model` with the adapter's code when only the
 * backend's decoder can tell) — none a 5xx.
 */
import { describe, expect, it } from 'vitest';
import { audio } from '../../adapters/audio/edge.ts';
import { image } from '../../adapters/image/edge.ts';
import { video } from '../../adapters/video/edge.ts';
import { mediaCorpus, refusalOf, type CorpusFile } from '../support/media-corpus.ts';
import { expectOpenAIError, postJson, toBase64 } from './helpers.ts';

const corpus = mediaCorpus();
const models = {
  audio: { model: audio.defaultModel, dimension: 96 },
  image: { model: image.defaultModel, dimension: 1280 },
  // A video's frames part: the mean of its sampled frames' MobileNetV2 embeddings.
  video: { model: video.defaultModel, dimension: 1280 },
};

function embed(modality: CorpusFile['modality'], files: readonly CorpusFile[]): Promise<Response> {
  const input = files.map((file) => `data:${file.type};base64,${toBase64(file.bytes)}`);
  return postJson('/v1/embeddings', { model: models[modality].model, input });
}

describe('the media corpus, end to end', () => {
  it.each(['audio', 'image', 'video'] as const)(
    'embeds every accepted %s file in one request',
    async (modality) => {
      const accepted = corpus.filter((file) => file.modality === modality && !refusalOf(file));
      expect(accepted.length).toBeGreaterThanOrEqual(10);
      const response = await embed(modality, accepted);
      expect(response.status, await response.clone().text()).toBe(200);
      const { data } = (await response.json()) as { data: { index: number; embedding: number[] }[] };
      expect(data.map((item) => item.index)).toEqual(accepted.map((_, i) => i));
      for (const { embedding } of data) {
        expect(embedding).toHaveLength(models[modality].dimension);
        expect(embedding.every(Number.isFinite)).toBe(true);
      }
    },
  );

  it('refuses every refused file with the promised 4xx', async () => {
    const refused = corpus.flatMap((file) => {
      const refusal = refusalOf(file);
      return refusal ? [{ file, refusal }] : [];
    });
    expect(refused.length).toBeGreaterThan(10);
    await Promise.all(
      refused.map(async ({ file, refusal }) => {
        const error = await expectOpenAIError(await embed(file.modality, [file]), refusal.status);
        const expected =
          refusal.at === 'edge'
            ? { code: refusal.code }
            : { code: 'input-rejected-by-model', adapterCode: refusal.code };
        expect(error, file.file).toMatchObject(expected);
        expect(String(error.message), file.file).toContain(refusal.detail);
      }),
    );
  });
});
