/**
 * @module
 * The video adapter's backend face, for its two composite models (gpu-backend/model-builder/video-model.ts), told
 * apart by their `part` parameter. Both check the container again first (the edge's limits, for clients that call
 * the backend directly), then decode with ffmpeg (decode.node.ts):
 *
 * - `frames`: up to `max_frames` frames evenly spaced in time, each through the image model's own preprocessing
 *   (`adapters/image/preprocess.ts`, with the image model's parameters this model's config carries) and graph
 *   (`context.run(image_model)`, all frames at once, so that they meet in its dynamic batcher); out `frames`
 *   f32 [1, max_frames, D] (zero rows past the frames there) and `frame_mask` f32 [1, max_frames];
 * - `audio`: the first audio track as mono 16 kHz, through the audio model's own preprocessing (decode, VAD trim)
 *   and graph; out `audio_embedding` f32 [1, D]. A video without an audio track is `absent` (`no-audio-track`);
 * - `text`: OCR on up to `max_frames` (4) frames (`text.node.ts`), the rows read merged, through the image-text
 *   model's graph (`context.run(image_text_model)`); out `text_embedding` f32 [1, D] and the text and its
 *   confidence for the graph to pass through. No text on any frame is `absent` (`no-text`).
 */
import audioPreprocessor from '../audio/preprocess.ts';
import { AdapterInputError } from '../errors.ts';
import imagePreprocessor from '../image/preprocess.ts';
import { integerParameter, stringParameter } from '../shared/parameters.ts';
import { definePreprocessor, type Feeds, type PreprocessContext } from '../types.ts';
import { checkedVideo, type ContainerFacts } from './container.ts';
import { extractAudio, sampleFrames } from './decode.node.ts';
import { videoLimits } from './limits.ts';
import { frameTextFeeds } from './text.node.ts';

function embeddingOf(outputs: Feeds, model: string): Float32Array {
  const embedding = outputs.embedding;
  if (!embedding || !(embedding.data instanceof Float32Array)) {
    throw new Error(`model "${model}" returned no float32 "embedding"`);
  }
  return embedding.data;
}

async function framesPart(
  bytes: Uint8Array,
  facts: ContainerFacts,
  context: PreprocessContext,
): Promise<Feeds> {
  const imageModel = stringParameter(context, 'image_model');
  const slots = integerParameter(context, 'max_frames', 1);
  const count = Math.min(slots, videoLimits.maxSampledFrames, facts.frames);
  const frames = await sampleFrames(bytes, count, facts.durationSeconds);
  const imageContext = { ...context, model: imageModel };
  const embeddings = await Promise.all(
    frames.map(async (png) => {
      const feeds = await imagePreprocessor.preprocess(png, imageContext);
      return embeddingOf(await context.run(imageModel, feeds), imageModel);
    }),
  );
  const dimension = embeddings[0]?.length ?? 0;
  const data = new Float32Array(slots * dimension);
  const mask = new Float32Array(slots);
  embeddings.forEach((embedding, i) => {
    data.set(embedding, i * dimension);
    mask[i] = 1;
  });
  return {
    frames: { type: 'float32', data, dims: [1, slots, dimension] },
    frame_mask: { type: 'float32', data: mask, dims: [1, slots] },
  };
}

async function audioPart(
  bytes: Uint8Array,
  facts: ContainerFacts,
  context: PreprocessContext,
): Promise<Feeds> {
  if (facts.audioCodec === 'none') {
    throw new AdapterInputError('absent', 'the video has no audio track', { reason: 'no-audio-track' });
  }
  const audioModel = stringParameter(context, 'audio_model');
  const wav = await extractAudio(bytes);
  const feeds = await audioPreprocessor.preprocess(wav, { ...context, model: audioModel });
  const embedding = embeddingOf(await context.run(audioModel, feeds), audioModel);
  return { audio_embedding: { type: 'float32', data: embedding, dims: [1, embedding.length] } };
}

async function textPart(
  bytes: Uint8Array,
  facts: ContainerFacts,
  context: PreprocessContext,
): Promise<Feeds> {
  const model = stringParameter(context, 'image_text_model');
  const feeds = await frameTextFeeds(bytes, facts, context);
  const embedding = embeddingOf(await context.run(model, feeds), model);
  const { ocr_text, ocr_confidence } = feeds;
  return {
    text_embedding: { type: 'float32', data: embedding, dims: [1, embedding.length] },
    ocr_text,
    ocr_confidence,
  };
}

const parts = { frames: framesPart, audio: audioPart, text: textPart } as const;

const isPart = (part: string): part is keyof typeof parts => Object.hasOwn(parts, part);

export default definePreprocessor({
  modality: 'video',
  async preprocess(bytes, context) {
    const part = stringParameter(context, 'part');
    if (!isPart(part)) {
      throw new Error(
        `model "${context.model}": part "${part}" is not one of ${Object.keys(parts).join(', ')}`,
      );
    }
    return parts[part](bytes, await checkedVideo(bytes), context);
  },
});
