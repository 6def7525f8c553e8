/**
 * @module
 * The video adapter's two composite models (Triton BLS style: their preprocessor, `adapters/video/preprocess.ts`,
 * decodes the video and runs the image or audio model of the repository per part through `context.run`, so those
 * calls join that model's dynamic batcher), each ending in a small graph of its own:
 *
 * - `video-frames-mobilenetv2-int8` (`video.frames`): `frames` f32 [N,F,1280] (one MobileNetV2 embedding per
 *   sampled frame, zero rows past the frames there) and `frame_mask` f32 [N,F] in; out `embedding` [N,1280], the
 *   mean over the frames there (sum ÷ count: padding drops out), plus `frame_embeddings` and `frame_mask` as they
 *   came, for the edge to score and pool frame by frame;
 * - `video-audio-speech-embedding` (`video.audio`): the speech embedding of the audio track, passed through;
 * - `video-text-use-lite` (`video.text`): the text read by OCR on a few frames, embedded by `image-text-use-lite`
 *   (whose preprocessing it runs, with that model's parameters and files: `ocr-model.ts`), passed through with the
 *   text and its confidence; it declares USE-lite's space, as `image.text` does.
 *
 * Their graphs are a few nodes, built here; each config carries the parameters of the model it feeds (the image
 * model's crop and normalisation, the audio model's rate, shortest clip and VAD), so that the frames and the audio
 * track go through that model's own preprocessing.
 */
import { readFile } from 'node:fs/promises';
import { buildModel, node, tensor, valueInfo } from '../onnx/build.ts';
import { readModel } from '../onnx/model.ts';
import { modelConfig, RAW_INPUT } from '../model-repository/modality-model.ts';
import { AUDIO_MODEL, melGeometry, minSamples } from './audio-model.ts';
import { IMAGE_MODEL, MOBILENET_PARAMETERS } from './image-model.ts';
import { imageTextPreprocessing, OCR_MODELS } from './ocr-model.ts';
import { sourceOf, type ModelRecipe } from './recipe.ts';
import { convertedUseLite, USE_LITE_MODEL, useLiteSource } from './use-lite-model.ts';

export const VIDEO_MODELS = {
  frames: `video-frames-${IMAGE_MODEL.name}`,
  audio: `video-audio-${AUDIO_MODEL.name}`,
  /** Frames sampled per video: the `F` of the frames model (videoLimits.maxSampledFrames). */
  maxFrames: 8,
} as const;

export const VIDEO_TEXT_MODEL = {
  name: `video-text-${USE_LITE_MODEL.name}`,
  /** Frames read by OCR per video (videoLimits.maxTextFrames). */
  maxFrames: 4,
} as const;

const fp32 = (name: string, dims: (number | string)[]) => valueInfo(name, 'float32', dims);

/** The masked mean of the frame embeddings, and both inputs passed through for the edge. */
export function buildFramesGraph(frames: number, dimension: number): Uint8Array {
  return buildModel({
    name: VIDEO_MODELS.frames,
    inputs: [fp32('frames', ['N', frames, dimension]), fp32('frame_mask', ['N', frames])],
    outputs: [
      fp32('embedding', ['N', dimension]),
      fp32('frame_embeddings', ['N', frames, dimension]),
      fp32('frame_mask_out', ['N', frames]),
    ],
    initializers: [
      tensor('axis_frames', new BigInt64Array([1n]), [1]),
      // A floor for the count: warm-up feeds zeros everywhere, and 0 ÷ 0 would be NaN.
      tensor('min_count', new Float32Array([1e-6]), []),
    ],
    nodes: [
      node('ReduceSum', ['frames', 'axis_frames'], ['sum'], { keepdims: 0 }),
      node('ReduceSum', ['frame_mask', 'axis_frames'], ['count'], { keepdims: 1 }),
      node('Max', ['count', 'min_count'], ['count_floor']),
      node('Div', ['sum', 'count_floor'], ['embedding']),
      node('Identity', ['frames'], ['frame_embeddings']),
      node('Identity', ['frame_mask'], ['frame_mask_out']),
    ],
  });
}

export function buildAudioPassGraph(dimension: number): Uint8Array {
  return buildModel({
    name: VIDEO_MODELS.audio,
    inputs: [fp32('audio_embedding', ['N', dimension])],
    outputs: [fp32('embedding', ['N', dimension])],
    nodes: [node('Identity', ['audio_embedding'], ['embedding'])],
  });
}

/** The text embedding, the text (UTF-8 bytes) and its confidence, passed through. */
export function buildTextPassGraph(dimension: number): Uint8Array {
  return buildModel({
    name: VIDEO_TEXT_MODEL.name,
    inputs: [
      fp32('text_embedding', ['N', dimension]),
      valueInfo('ocr_text', 'uint8', ['N', 'C']),
      fp32('ocr_confidence', ['N', 1]),
    ],
    outputs: [
      fp32('embedding', ['N', dimension]),
      valueInfo('text', 'uint8', ['N', 'C']),
      fp32('confidence', ['N', 1]),
    ],
    nodes: [
      node('Identity', ['text_embedding'], ['embedding']),
      node('Identity', ['ocr_text'], ['text']),
      node('Identity', ['ocr_confidence'], ['confidence']),
    ],
  });
}

const videoParameters = (part: string, extra: Record<string, string>) => ({
  modality: `video.${part}`,
  adapter: 'video',
  embedding_output: 'embedding',
  part,
  ...extra,
});

export const videoFramesRecipe: ModelRecipe = {
  name: VIDEO_MODELS.frames,
  version: 2,
  sources: [],
  settings: { ...VIDEO_MODELS, image: IMAGE_MODEL, preprocessing: MOBILENET_PARAMETERS },
  build() {
    const { maxFrames } = VIDEO_MODELS;
    const { dimension } = IMAGE_MODEL;
    return Promise.resolve({
      onnx: buildFramesGraph(maxFrames, dimension),
      config: modelConfig({
        name: VIDEO_MODELS.frames,
        // One video per batch: the per-frame work is batched where it is heavy, in the image model's batcher.
        maxBatchSize: 1,
        input: [RAW_INPUT],
        output: [
          { name: 'embedding', data_type: 'TYPE_FP32', dims: [dimension] },
          { name: 'frame_embeddings', data_type: 'TYPE_FP32', dims: [maxFrames, dimension] },
          { name: 'frame_mask_out', data_type: 'TYPE_FP32', dims: [maxFrames] },
        ],
        // The image model's own preprocessing settings, for the frames it is handed (see adapters/video).
        parameters: videoParameters('frames', {
          // Returned beside the pooled embedding, for the edge to score frame by frame (src/scoring/frames.ts).
          extra_outputs: 'frame_embeddings,frame_mask_out',
          image_model: IMAGE_MODEL.name,
          max_frames: String(maxFrames),
          ...MOBILENET_PARAMETERS,
        }),
      }),
    });
  },
};

export const videoAudioRecipe: ModelRecipe = {
  name: VIDEO_MODELS.audio,
  version: 1,
  sources: ['melspectrogram.onnx'],
  settings: { ...VIDEO_MODELS, audio: AUDIO_MODEL },
  async build(sources) {
    const mel = readModel(await readFile(sourceOf(sources, 'melspectrogram.onnx')));
    if (!mel.graph) throw new Error('melspectrogram.onnx has no graph');
    return {
      onnx: buildAudioPassGraph(AUDIO_MODEL.dimension),
      config: modelConfig({
        name: VIDEO_MODELS.audio,
        maxBatchSize: 1,
        input: [RAW_INPUT],
        output: [{ name: 'embedding', data_type: 'TYPE_FP32', dims: [AUDIO_MODEL.dimension] }],
        parameters: videoParameters('audio', {
          audio_model: AUDIO_MODEL.name,
          sample_rate: String(AUDIO_MODEL.sampleRate),
          min_samples: String(minSamples(melGeometry(mel.graph))),
          vad_model: 'silero-vad',
        }),
      }),
    };
  },
};

export const videoTextRecipe: ModelRecipe = {
  name: VIDEO_TEXT_MODEL.name,
  version: 1,
  sources: ['ppocr_keys_v1.txt'],
  settings: { ...VIDEO_TEXT_MODEL, space: USE_LITE_MODEL.space, source: useLiteSource },
  async build(sources) {
    const { dimension } = USE_LITE_MODEL;
    const { maxTokens } = await convertedUseLite();
    const { files, parameters } = await imageTextPreprocessing(sources, maxTokens);
    return {
      onnx: buildTextPassGraph(dimension),
      files,
      config: modelConfig({
        name: VIDEO_TEXT_MODEL.name,
        // One video per batch: OCR and the text model batch in their own batchers.
        maxBatchSize: 1,
        input: [RAW_INPUT],
        output: [
          { name: 'embedding', data_type: 'TYPE_FP32', dims: [dimension] },
          { name: 'text', data_type: 'TYPE_UINT8', dims: [-1] },
          { name: 'confidence', data_type: 'TYPE_FP32', dims: [1] },
        ],
        parameters: videoParameters('text', {
          ...parameters,
          image_text_model: OCR_MODELS.imageText,
          max_frames: String(VIDEO_TEXT_MODEL.maxFrames),
        }),
      }),
    };
  },
};
