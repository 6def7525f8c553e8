/**
 * The media corpus through the adapters' backend faces in Node, configured from the default model repository:
 * what the edge accepts, its canonical bytes preprocess into finite tensors (audio: decoded, resampled, trimmed by
 * the real Silero VAD on onnxruntime; video: frames sampled by ffmpeg and embedded by MobileNetV2); what the manifest says a decoder refuses, and what the edge refuses (sent
 * directly, as a client of the backend could), are refused with the promised code.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audio } from '../../adapters/audio/edge.ts';
import audioPreprocessor from '../../adapters/audio/preprocess.ts';
import { parametersOf } from '../../adapters/conformance/backend.node.ts';
import { image } from '../../adapters/image/edge.ts';
import imagePreprocessor from '../../adapters/image/preprocess.ts';
import { inProcessRunner } from '../../adapters/shared/in-process-models.node.ts';
import { inputErrorOf } from '../../adapters/shared/testing.ts';
import type { PreprocessContext } from '../../adapters/types.ts';
import { video } from '../../adapters/video/edge.ts';
import videoPreprocessor from '../../adapters/video/preprocess.ts';
import { prepareModels, repoRoot } from '../../scripts/lib/backend-process.ts';
import { mediaCorpus, refusalOf, type CorpusFile } from '../support/media-corpus.ts';

const repository = join(repoRoot, 'models');
const faces = {
  audio: { edge: audio, preprocessor: audioPreprocessor },
  image: { edge: image, preprocessor: imagePreprocessor },
  // The frames part (its default model): the audio part has its own tests (adapters/video/preprocess.test.ts).
  video: { edge: video, preprocessor: videoPreprocessor },
};
const runInProcess = inProcessRunner(repository);

function contextOf(file: CorpusFile): PreprocessContext {
  const model = faces[file.modality].edge.defaultModel;
  return { model, parameters: parametersOf(repository, model), run: runInProcess };
}

beforeAll(async () => {
  await prepareModels(() => undefined);
});

describe('the media corpus through the backend faces', () => {
  it.each(mediaCorpus().map((file) => [file.file, file] as const))('%s', async (_, file) => {
    const { edge, preprocessor } = faces[file.modality];
    const refusal = refusalOf(file);
    const input = { kind: 'bytes', bytes: file.bytes, declaredType: file.type } as const;
    const bytes = refusal?.at === 'edge' ? file.bytes : (await edge.normalize(input)).bytes;
    if (refusal) {
      const error = await inputErrorOf(() => preprocessor.preprocess(bytes, contextOf(file)));
      expect({ status: error.status, code: error.code }).toEqual({
        status: refusal.status,
        code: refusal.code,
      });
      return;
    }
    const feeds = await preprocessor.preprocess(bytes, contextOf(file));
    for (const { data, dims } of Object.values(feeds)) {
      expect(data.length).toBe(dims.reduce((a, b) => a * b, 1));
      expect(Array.from(data as Float32Array).every(Number.isFinite)).toBe(true);
    }
  });
});
