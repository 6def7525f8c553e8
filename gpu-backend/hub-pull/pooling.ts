/**
 * @module
 * Sentence pooling added to a transformer encoder's ONNX graph: mean over the attended tokens (or the first token,
 * CLS), then optional L2 normalisation, as a new output `embedding` [N,H]. Done in the graph rather than on the
 * backend so that the backend stays generic (every model answers `embedding`), the pooling runs inside onnxruntime
 * next to the encoder, and batching with zero padding stays exact: padded positions have mask 0 and are left out
 * of the mean. Opset ≥ 13 forms only (ReduceSum and Unsqueeze take their axes as inputs).
 */
import type pkg from 'onnx-proto';
import { node, tensor, valueInfo } from '../onnx/build.ts';
import { readModel, writeModel } from '../onnx/model.ts';

export type PoolingMode = 'mean' | 'cls';

export interface PoolingSpec {
  readonly mode: PoolingMode;
  readonly normalize: boolean;
  /** The encoder's token-level output (default `last_hidden_state`). */
  readonly tokenOutput?: string;
}

export const EMBEDDING_OUTPUT = 'embedding';

function opsetOf(model: pkg.onnx.IModelProto): number {
  const standard = model.opsetImport?.find((entry) => !entry.domain || entry.domain === 'ai.onnx');
  return Number(standard?.version ?? 0);
}

/** Nodes computing `pooled` [N,H] from `tokens` [N,L,H] (and `attention_mask` for the mean). */
function poolingNodes(tokens: string, mode: PoolingMode): pkg.onnx.INodeProto[] {
  if (mode === 'cls') return [node('Gather', [tokens, 'pool.zero'], ['pool.pooled'], { axis: 1 })];
  return [
    node('Cast', ['attention_mask'], ['pool.mask'], { to: 1 }),
    node('Unsqueeze', ['pool.mask', 'pool.axis2'], ['pool.mask3']),
    node('Mul', [tokens, 'pool.mask3'], ['pool.masked']),
    node('ReduceSum', ['pool.masked', 'pool.axis1'], ['pool.summed'], { keepdims: 0 }),
    node('ReduceSum', ['pool.mask3', 'pool.axis1'], ['pool.count'], { keepdims: 0 }),
    // sentence-transformers clamps the count at 1e-9, so an all-padding row gives zeros rather than NaN.
    node('Max', ['pool.count', 'pool.tiny'], ['pool.clamped']),
    node('Div', ['pool.summed', 'pool.clamped'], ['pool.pooled']),
  ];
}

/** Nodes dividing `pool.pooled` by its L2 norm (clamped at 1e-12, as torch's `normalize`) into `embedding`. */
function normalizeNodes(): pkg.onnx.INodeProto[] {
  return [
    node('Mul', ['pool.pooled', 'pool.pooled'], ['pool.squares']),
    node('ReduceSum', ['pool.squares', 'pool.axis1'], ['pool.sumsq'], { keepdims: 1 }),
    node('Sqrt', ['pool.sumsq'], ['pool.norm']),
    node('Max', ['pool.norm', 'pool.eps'], ['pool.denominator']),
    node('Div', ['pool.pooled', 'pool.denominator'], [EMBEDDING_OUTPUT]),
  ];
}

/** The encoder with an `embedding` output added (its other outputs kept); throws naming what is missing. */
export function addPooling(onnxBytes: Uint8Array, spec: PoolingSpec): Uint8Array {
  const model = readModel(onnxBytes);
  const graph = model.graph;
  if (!graph) throw new Error('model.onnx has no graph');
  if (opsetOf(model) < 13) throw new Error(`model.onnx uses opset ${opsetOf(model)}; pooling needs ≥ 13`);
  const tokenOutput = spec.tokenOutput ?? 'last_hidden_state';
  const outputs = (graph.output ?? []).map((output) => output.name ?? '');
  if (!outputs.includes(tokenOutput)) {
    throw new Error(`model.onnx has no output "${tokenOutput}" (it has: ${outputs.join(', ')})`);
  }
  if (outputs.includes(EMBEDDING_OUTPUT)) throw new Error(`model.onnx already has an "${EMBEDDING_OUTPUT}"`);
  const inputs = (graph.input ?? []).map((input) => input.name ?? '');
  if (spec.mode === 'mean' && !inputs.includes('attention_mask')) {
    throw new Error(`mean pooling needs an "attention_mask" input (model.onnx has: ${inputs.join(', ')})`);
  }
  const pooled = poolingNodes(tokenOutput, spec.mode);
  const finish = spec.normalize ? normalizeNodes() : [node('Identity', ['pool.pooled'], [EMBEDDING_OUTPUT])];
  graph.node = [...(graph.node ?? []), ...pooled, ...finish];
  graph.initializer = [
    ...(graph.initializer ?? []),
    tensor('pool.zero', BigInt64Array.of(0n), []),
    tensor('pool.axis1', BigInt64Array.of(1n), [1]),
    tensor('pool.axis2', BigInt64Array.of(2n), [1]),
    tensor('pool.tiny', Float32Array.of(1e-9), []),
    tensor('pool.eps', Float32Array.of(1e-12), []),
  ];
  graph.output = [
    valueInfo(EMBEDDING_OUTPUT, 'float32', ['batch_size', 'pooled_dimension']),
    ...(graph.output ?? []),
  ];
  return writeModel(model);
}
