/**
 * @module
 * ConSE — "Zero-Shot Learning by Convex Combination of Semantic Embeddings" (Norouzi et al., ICLR 2014) — as ONNX
 * nodes appended to an image classifier: its class probabilities, softmax(logits / temperature), are cut to the
 * top T and weight the text embeddings of those T class names (a convex combination once divided by their sum);
 * the mean is L2-normalised into `embedding` [N, D], a vector in the text encoder's space, so an image can be
 * compared with any text — label names it was never trained on included. Written with opset-11 forms only (TopK
 * with K as an input; the norm's sum as a MatMul), so it can be appended to older graphs such as MobileNetV2's
 * opset-12 one.
 */
import pkg from 'onnx-proto';
import onnx = pkg.onnx;
import { node, tensor, valueInfo } from '../onnx/build.ts';
import { writeModel } from '../onnx/model.ts';

export interface ConseSpec {
  /** The classifier's logits tensor, [N, classes]. */
  readonly logits: string;
  /** The text embedding of each class name, row-major [classes, dimension], in the classifier's class order. */
  readonly classEmbeddings: Float32Array;
  readonly classes: number;
  readonly dimension: number;
  /** How many of the most probable classes are combined (Norouzi et al. use 10). */
  readonly topK: number;
  /** Softmax temperature: above 1 flattens the probabilities, below 1 sharpens them. */
  readonly temperature: number;
  /** Name of the new output (default `embedding`); an existing output of that name is replaced. */
  readonly output?: string;
}

const MIN_OPSET = 11;

function checkSpec(spec: ConseSpec): void {
  const { classes, dimension, topK, temperature, classEmbeddings } = spec;
  if (classEmbeddings.length !== classes * dimension) {
    throw new Error(`class embeddings hold ${classEmbeddings.length} values, not ${classes}×${dimension}`);
  }
  if (!Number.isInteger(topK) || topK < 1 || topK > classes) {
    throw new Error(`top T must be an integer in 1..${classes}, got ${topK}`);
  }
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new Error(`temperature must be a positive number, got ${temperature}`);
  }
}

function opsetOf(model: onnx.IModelProto): number {
  const standard = model.opsetImport?.find((entry) => !entry.domain || entry.domain === 'ai.onnx');
  return Number(standard?.version ?? 0);
}

/** The nodes from logits to the normalised mean embedding, all names under `conse/`. */
function conseNodes(logits: string, output: string): onnx.INodeProto[] {
  return [
    node('Div', [logits, 'conse/temperature'], ['conse/scaled']),
    node('Softmax', ['conse/scaled'], ['conse/probabilities'], { axis: 1 }),
    node('TopK', ['conse/probabilities', 'conse/k'], ['conse/top_p', 'conse/top_classes'], { axis: 1 }),
    // The convex weights are p / Σp over the top T; the final L2 normalisation makes the 1/Σp factor moot.
    node('Gather', ['conse/class_embeddings', 'conse/top_classes'], ['conse/rows'], { axis: 0 }),
    node('Reshape', ['conse/top_p', 'conse/row_shape'], ['conse/weights_row']),
    node('MatMul', ['conse/weights_row', 'conse/rows'], ['conse/mean_row']),
    node('Reshape', ['conse/mean_row', 'conse/vector_shape'], ['conse/mean']),
    node('Mul', ['conse/mean', 'conse/mean'], ['conse/squares']),
    node('MatMul', ['conse/squares', 'conse/ones_d'], ['conse/sum_squares']),
    node('Sqrt', ['conse/sum_squares'], ['conse/norm']),
    node('Max', ['conse/norm', 'conse/epsilon'], ['conse/denominator']),
    node('Div', ['conse/mean', 'conse/denominator'], [output]),
  ];
}

function conseInitializers(spec: ConseSpec): onnx.ITensorProto[] {
  const { topK, dimension, classes } = spec;
  return [
    tensor('conse/temperature', Float32Array.of(spec.temperature), []),
    tensor('conse/k', BigInt64Array.of(BigInt(topK)), [1]),
    tensor('conse/class_embeddings', spec.classEmbeddings, [classes, dimension]),
    tensor('conse/row_shape', BigInt64Array.of(-1n, 1n, BigInt(topK)), [3]),
    tensor('conse/vector_shape', BigInt64Array.of(-1n, BigInt(dimension)), [2]),
    tensor('conse/ones_d', new Float32Array(dimension).fill(1), [dimension, 1]),
    tensor('conse/epsilon', Float32Array.of(1e-12), []),
  ];
}

/** Drops the nodes (and initializers) that no graph output needs any more. */
function pruneUnused(graph: onnx.IGraphProto): void {
  const needed = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const kept: onnx.INodeProto[] = [];
  for (const n of [...(graph.node ?? [])].reverse()) {
    if (!(n.output ?? []).some((o) => needed.has(o))) continue;
    kept.push(n);
    for (const input of n.input ?? []) needed.add(input);
  }
  graph.node = kept.reverse();
  graph.initializer = (graph.initializer ?? []).filter((t) => needed.has(t.name ?? ''));
}

/** Appends ConSE to a decoded classifier (edited in place) and returns the model's bytes. */
export function addConse(model: onnx.ModelProto, spec: ConseSpec): Uint8Array {
  checkSpec(spec);
  const graph = model.graph;
  if (!graph) throw new Error('the model has no graph');
  if (opsetOf(model) < MIN_OPSET)
    throw new Error(`ConSE needs opset ≥ ${MIN_OPSET}, the model has ${opsetOf(model)}`);
  const produced = new Set((graph.node ?? []).flatMap((n) => n.output ?? []));
  if (!produced.has(spec.logits)) throw new Error(`the model computes no tensor "${spec.logits}"`);
  const output = spec.output ?? 'embedding';
  graph.output = (graph.output ?? []).filter((o) => o.name !== output);
  pruneUnused(graph);
  graph.node = [...(graph.node ?? []), ...conseNodes(spec.logits, output)];
  graph.initializer = [...(graph.initializer ?? []), ...conseInitializers(spec)];
  const batch = graph.input?.[0]?.type?.tensorType?.shape?.dim?.[0]?.dimParam || 'N';
  graph.output = [
    onnx.ValueInfoProto.create(valueInfo(output, 'float32', [batch, spec.dimension])),
    ...graph.output,
  ];
  return writeModel(model);
}
