/**
 * @module
 * `mobilenetv2-int8`: MobileNetV2 (ONNX Model Zoo, int8 QDQ) edited to expose its pooled 1280-d feature as an
 * `embedding` output beside the classifier `logits` (renamed from `output`). The pooled tensor is quantized, so
 * one DequantizeLinear with that tensor's own scale and zero point, then Flatten, gives f32 [N,1280]; the
 * classifier path is untouched, so `logits` equal the original model's output bit for bit.
 */
import { readFile } from 'node:fs/promises';
import pkg from 'onnx-proto';
import onnx = pkg.onnx;
import { node, valueInfo } from '../onnx/build.ts';
import { onlyNode } from '../onnx/edit.ts';
import { readModel, writeModel } from '../onnx/model.ts';
import type { TensorConfig } from '../model-repository/config.ts';
import { modelConfig, modalityParameters, RAW_INPUT } from '../model-repository/modality-model.ts';
import { sourceOf, type ModelRecipe } from './recipe.ts';
import { rawWarmup } from '../model-repository/warmup-samples.ts';

export const IMAGE_MODEL = {
  name: 'mobilenetv2-int8',
  dimension: 1280,
  classes: 1000,
  maxBatchSize: 16,
} as const;

/** The per-channel normalisation MobileNetV2 was trained with (RGB, on pixels scaled to 0–1). */
export const IMAGENET_NORMALISATION = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
} as const;

const ORIGINAL_OUTPUT = 'output';

/** Renames a tensor everywhere it appears: node inputs/outputs, graph outputs and value infos. */
function renameTensor(graph: onnx.IGraphProto, from: string, to: string): void {
  for (const n of graph.node ?? []) {
    n.input = (n.input ?? []).map((x) => (x === from ? to : x));
    n.output = (n.output ?? []).map((x) => (x === from ? to : x));
  }
  for (const v of [...(graph.output ?? []), ...(graph.valueInfo ?? [])]) if (v.name === from) v.name = to;
}

/** Renames the classifier's output `logits` (in place); returns the graph. */
export function exposeLogits(model: onnx.ModelProto): onnx.IGraphProto {
  const graph = model.graph;
  if (!graph) throw new Error('the model has no graph');
  const outputs = (graph.output ?? []).map((o) => o.name);
  if (!outputs.includes(ORIGINAL_OUTPUT)) {
    throw new Error(`expected a graph output "${ORIGINAL_OUTPUT}", the model has: ${outputs.join(', ')}`);
  }
  renameTensor(graph, ORIGINAL_OUTPUT, 'logits');
  return graph;
}

/** Edits the decoded model in place and returns its bytes. */
export function addEmbeddingOutput(model: onnx.ModelProto): Uint8Array {
  const graph = exposeLogits(model);
  // QLinearGlobalAveragePool(X, x_scale, x_zero_point, y_scale, y_zero_point): its output's quantization is 3 and 4.
  const pool = onlyNode(graph, 'QLinearGlobalAveragePool');
  const [pooled] = pool.output ?? [];
  const [, , , scale, zeroPoint] = pool.input ?? [];
  if (!pooled || !scale || !zeroPoint) {
    throw new Error(
      `QLinearGlobalAveragePool "${pool.name}" lacks its output or its y_scale/y_zero_point inputs`,
    );
  }
  (graph.node ??= []).push(
    node('DequantizeLinear', [pooled, scale, zeroPoint], ['embedding_pooled'], {}, 'embedding_dequantize'),
    node('Flatten', ['embedding_pooled'], ['embedding'], { axis: 1 }, 'embedding_flatten'),
  );
  const batch = graph.input?.[0]?.type?.tensorType?.shape?.dim?.[0]?.dimParam || 'N';
  (graph.output ??= []).unshift(
    onnx.ValueInfoProto.create(valueInfo('embedding', 'float32', [batch, IMAGE_MODEL.dimension])),
  );
  return writeModel(model);
}

/** The labels must be one name per class, in output order, or `label_filename` would mislabel every score. */
export function checkLabels(bytes: Uint8Array): string[] {
  const labels: unknown = JSON.parse(new TextDecoder().decode(bytes));
  const ok = Array.isArray(labels) && labels.every((label) => typeof label === 'string');
  if (!ok || labels.length !== IMAGE_MODEL.classes) {
    throw new Error(`imagenet-simple-labels.json must be an array of ${IMAGE_MODEL.classes} strings`);
  }
  return labels as string[];
}

/** The classifier's output, named by its labels file. */
export const LOGITS_OUTPUT: TensorConfig = {
  name: 'logits',
  data_type: 'TYPE_FP32',
  dims: [IMAGE_MODEL.classes],
  label_filename: 'labels.json',
};

/** How the image adapter prepares MobileNetV2's input. */
export const MOBILENET_PARAMETERS: Readonly<Record<string, string>> = {
  image_size: '224',
  resize_shorter: '256',
  mean: IMAGENET_NORMALISATION.mean.join(','),
  std: IMAGENET_NORMALISATION.std.join(','),
  layout: 'NCHW',
};

export const imageRecipe: ModelRecipe = {
  name: IMAGE_MODEL.name,
  version: 2,
  sources: ['mobilenetv2-12-int8.onnx', 'imagenet-simple-labels.json'],
  settings: IMAGE_MODEL,
  async build(sources) {
    const original = readModel(await readFile(sourceOf(sources, 'mobilenetv2-12-int8.onnx')));
    const labels = await readFile(sourceOf(sources, 'imagenet-simple-labels.json'));
    checkLabels(labels);
    const warm = await rawWarmup('image');
    return {
      onnx: addEmbeddingOutput(original),
      files: { 'labels.json': labels, ...warm.files },
      config: modelConfig({
        name: IMAGE_MODEL.name,
        maxBatchSize: IMAGE_MODEL.maxBatchSize,
        input: [RAW_INPUT],
        output: [{ name: 'embedding', data_type: 'TYPE_FP32', dims: [IMAGE_MODEL.dimension] }, LOGITS_OUTPUT],
        parameters: modalityParameters('image', MOBILENET_PARAMETERS),
        warmup: warm.warmup,
      }),
    };
  },
};
