/**
 * @module
 * `mobilenetv2-conse`: images embedded in USE-lite's text space by ConSE (Norouzi et al., ICLR 2014; see
 * `conse/conse.ts`). MobileNetV2's logits → softmax(logits / temperature) → the top T classes → the mean of the
 * USE-lite embeddings of their names (`imagenet-simple-labels.json`, embedded here at build time), weighted by
 * their probabilities and L2-normalised → `embedding` [N, 512], beside the untouched `logits`. The model declares
 * USE-lite's embedding space, so the edge pairs it with `use-lite` for zero-shot and comparisons. T = 10 and a
 * temperature of 2 were the best of the settings measured on 24 photos (bench/README.md); bare class names beat
 * "a photo of a {label}" as the class side. The stamp carries the USE-lite package's version, since the class
 * embeddings come from it.
 */
import { readFile } from 'node:fs/promises';
import { addConse } from '../conse/conse.ts';
import { modelConfig, modalityParameters, RAW_INPUT } from '../model-repository/modality-model.ts';
import { readModel } from '../onnx/model.ts';
import {
  checkLabels,
  exposeLogits,
  IMAGE_MODEL,
  LOGITS_OUTPUT,
  MOBILENET_PARAMETERS,
} from './image-model.ts';
import { sourceOf, type ModelRecipe } from './recipe.ts';
import { convertedUseLite, USE_LITE_MODEL, useLiteSource } from './use-lite-model.ts';
import { rawWarmup } from '../model-repository/warmup-samples.ts';

export const CONSE_MODEL = {
  name: 'mobilenetv2-conse',
  /** How many of the most probable classes are combined. */
  topK: 10,
  /** Softmax temperature over the logits: above 1 flattens the class probabilities. */
  temperature: 2,
  /** How a class name is put to the text encoder. */
  classText: '{label}',
  maxBatchSize: IMAGE_MODEL.maxBatchSize,
} as const;

/** Batch of class names per run of the text encoder. */
const EMBED_BATCH = 64;

/** The USE-lite embeddings of the class names, row-major [classes, 512]. */
async function embedClassNames(labels: readonly string[]): Promise<Float32Array> {
  // Loaded only when building: an up-to-date run does not start onnxruntime.
  const { UseLiteEncoder } = await import('../use-lite/encoder.ts');
  const encoder = await UseLiteEncoder.create(1, await convertedUseLite());
  try {
    const texts = labels.map((label) => CONSE_MODEL.classText.replaceAll('{label}', label));
    return await encoder.embed(texts, EMBED_BATCH);
  } finally {
    await encoder.release();
  }
}

export const conseRecipe: ModelRecipe = {
  name: CONSE_MODEL.name,
  version: 2,
  sources: ['mobilenetv2-12-int8.onnx', 'imagenet-simple-labels.json'],
  settings: { ...CONSE_MODEL, space: USE_LITE_MODEL.space, textSource: useLiteSource },
  async build(sources) {
    const labelBytes = await readFile(sourceOf(sources, 'imagenet-simple-labels.json'));
    const classEmbeddings = await embedClassNames(checkLabels(labelBytes));
    const model = readModel(await readFile(sourceOf(sources, 'mobilenetv2-12-int8.onnx')));
    exposeLogits(model);
    const warm = await rawWarmup('image');
    const onnx = addConse(model, {
      logits: LOGITS_OUTPUT.name,
      classEmbeddings,
      classes: IMAGE_MODEL.classes,
      dimension: USE_LITE_MODEL.dimension,
      topK: CONSE_MODEL.topK,
      temperature: CONSE_MODEL.temperature,
    });
    return {
      onnx,
      files: { 'labels.json': labelBytes, ...warm.files },
      config: modelConfig({
        name: CONSE_MODEL.name,
        maxBatchSize: CONSE_MODEL.maxBatchSize,
        input: [RAW_INPUT],
        output: [
          { name: 'embedding', data_type: 'TYPE_FP32', dims: [USE_LITE_MODEL.dimension] },
          LOGITS_OUTPUT,
        ],
        parameters: modalityParameters('image', {
          ...MOBILENET_PARAMETERS,
          embedding_space: USE_LITE_MODEL.space,
        }),
        warmup: warm.warmup,
      }),
    };
  },
};
