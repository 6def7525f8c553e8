/**
 * @module
 * A BERT encoder graph with seeded random weights, shaped like a Hugging Face `BertModel` ONNX export (inputs
 * `input_ids`, `attention_mask`, `token_type_ids`, int64 [N,L]; output `last_hidden_state` f32 [N,L,H]), so that
 * everything a real sentence-transformers export goes through — tokenizer, pooling edit, padding, batching,
 * transformers.js — can be tested here without downloading one. Opset 13 ops only (LayerNorm and GELU spelled out)
 * so any onnxruntime reads it. `bertShape.minilm` is all-MiniLM-L6-v2's shape, for benchmarks.
 */
import type pkg from 'onnx-proto';
import { buildModel, node, tensor, valueInfo } from '../../../gpu-backend/onnx/build.ts';
import { mulberry32 } from '../../../gpu-backend/model-builder/text-model.ts';

export interface BertShape {
  readonly vocabSize: number;
  readonly hidden: number;
  readonly layers: number;
  readonly heads: number;
  readonly intermediate: number;
  readonly maxPositions: number;
  readonly seed: number;
}

export const bertShape = {
  tiny: { hidden: 64, layers: 2, heads: 4, intermediate: 128, maxPositions: 128, seed: 0x62_65_72_74 },
  minilm: { hidden: 384, layers: 6, heads: 12, intermediate: 1536, maxPositions: 512, seed: 0x6d_69_6e_69 },
} as const satisfies Record<string, Omit<BertShape, 'vocabSize'>>;

type Node = pkg.onnx.INodeProto;
type Tensor = pkg.onnx.ITensorProto;

/** Builds nodes and weights with unique names; weights are N(0, 0.02²) as in BERT's initialisation. */
class GraphWriter {
  readonly nodes: Node[] = [];
  readonly weights: Tensor[] = [];
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  op(opType: string, inputs: string[], output: string, attributes: Parameters<typeof node>[3] = {}): string {
    this.nodes.push(node(opType, inputs, [output], attributes));
    return output;
  }

  normal(name: string, dims: number[], std = 0.02): string {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) {
      const radius = Math.sqrt(-2 * Math.log(1 - this.random()));
      data[i] = radius * Math.cos(2 * Math.PI * this.random()) * std;
    }
    this.weights.push(tensor(name, data, dims));
    return name;
  }

  constant(name: string, data: Float32Array | BigInt64Array, dims: number[]): string {
    this.weights.push(tensor(name, data, dims));
    return name;
  }

  /** LayerNorm over the last axis, γ = 1 + noise and β = noise so that the weights matter. */
  layerNorm(prefix: string, x: string, hidden: number): string {
    const mean = this.op('ReduceMean', [x], `${prefix}.mean`, { axes: [-1] });
    const centred = this.op('Sub', [x, mean], `${prefix}.centred`);
    const squared = this.op('Mul', [centred, centred], `${prefix}.squared`);
    const variance = this.op('ReduceMean', [squared], `${prefix}.variance`, { axes: [-1] });
    const std = this.op('Sqrt', [this.op('Add', [variance, 'eps'], `${prefix}.shifted`)], `${prefix}.std`);
    const normed = this.op('Div', [centred, std], `${prefix}.normed`);
    const gamma = this.normal(`${prefix}.gamma.noise`, [hidden], 0.1);
    const scale = this.op('Add', [gamma, 'one'], `${prefix}.gamma`);
    return this.op(
      'Add',
      [this.op('Mul', [normed, scale], `${prefix}.scaled`), this.normal(`${prefix}.beta`, [hidden])],
      `${prefix}.out`,
    );
  }

  dense(prefix: string, x: string, from: number, to: number): string {
    const product = this.op('MatMul', [x, this.normal(`${prefix}.weight`, [from, to])], `${prefix}.product`);
    return this.op('Add', [product, this.normal(`${prefix}.bias`, [to])], `${prefix}.out`);
  }
}

function embeddings(g: GraphWriter, shape: BertShape): string {
  const { vocabSize, hidden, maxPositions } = shape;
  const words = g.op('Gather', [g.normal('word_embeddings', [vocabSize, hidden]), 'input_ids'], 'words');
  const length = g.op('Gather', [g.op('Shape', ['input_ids'], 'ids_shape'), 'index_one'], 'length');
  const positions = g.op('Range', ['zero_i64', length, 'one_i64'], 'positions');
  const placed = g.op(
    'Gather',
    [g.normal('position_embeddings', [maxPositions, hidden]), positions],
    'placed',
  );
  const types = g.op('Gather', [g.normal('token_type_embeddings', [2, hidden]), 'token_type_ids'], 'types');
  const summed = g.op('Add', [g.op('Add', [words, placed], 'words_placed'), types], 'embedded');
  return g.layerNorm('embeddings.norm', summed, hidden);
}

/** Additive attention bias [N,1,1,L]: 0 where attended, −10⁴ on padding. */
function attentionBias(g: GraphWriter): string {
  const mask = g.op('Cast', ['attention_mask'], 'mask_f', { to: 1 });
  const inverted = g.op('Sub', ['one', mask], 'mask_inverted');
  const bias = g.op('Mul', [inverted, 'minus_big'], 'mask_bias');
  return g.op('Unsqueeze', [bias, 'axes_1_2'], 'attention_bias');
}

function selfAttention(g: GraphWriter, p: string, x: string, bias: string, shape: BertShape): string {
  const { hidden } = shape;
  const split = (name: string, perm: number[]) =>
    g.op(
      'Transpose',
      [g.op('Reshape', [g.dense(`${p}.${name}`, x, hidden, hidden), 'heads_shape'], `${p}.${name}.split`)],
      `${p}.${name}.t`,
      { perm },
    );
  const scores = g.op('MatMul', [split('query', [0, 2, 1, 3]), split('key', [0, 2, 3, 1])], `${p}.scores`);
  const scaled = g.op('Mul', [scores, 'attention_scale'], `${p}.scaled`);
  const probs = g.op('Softmax', [g.op('Add', [scaled, bias], `${p}.biased`)], `${p}.probs`, { axis: -1 });
  const context = g.op('MatMul', [probs, split('value', [0, 2, 1, 3])], `${p}.context`);
  const merged = g.op(
    'Reshape',
    [g.op('Transpose', [context], `${p}.context.t`, { perm: [0, 2, 1, 3] }), 'hidden_shape'],
    `${p}.merged`,
  );
  return g.dense(`${p}.output`, merged, hidden, hidden);
}

/** GELU as BERT's `gelu`: x · ½(1 + erf(x/√2)). */
function gelu(g: GraphWriter, p: string, x: string): string {
  const erf = g.op('Erf', [g.op('Mul', [x, 'inv_sqrt2'], `${p}.scaled`)], `${p}.erf`);
  const gate = g.op('Mul', [g.op('Add', [erf, 'one'], `${p}.erf1`), 'half'], `${p}.gate`);
  return g.op('Mul', [x, gate], `${p}.out`);
}

function layer(g: GraphWriter, index: number, x: string, bias: string, shape: BertShape): string {
  const p = `layer${index}`;
  const attended = g.layerNorm(
    `${p}.attention.norm`,
    g.op('Add', [x, selfAttention(g, `${p}.attention`, x, bias, shape)], `${p}.attention.residual`),
    shape.hidden,
  );
  const up = gelu(g, `${p}.gelu`, g.dense(`${p}.intermediate`, attended, shape.hidden, shape.intermediate));
  const down = g.dense(`${p}.ffn`, up, shape.intermediate, shape.hidden);
  return g.layerNorm(`${p}.ffn.norm`, g.op('Add', [attended, down], `${p}.ffn.residual`), shape.hidden);
}

function constants(g: GraphWriter, shape: BertShape): void {
  const f = (name: string, value: number) => g.constant(name, Float32Array.of(value), []);
  const i = (name: string, values: number[]) =>
    g.constant(name, BigInt64Array.from(values, BigInt), [values.length]);
  f('eps', 1e-12);
  f('one', 1);
  f('half', 0.5);
  f('inv_sqrt2', Math.SQRT1_2);
  f('minus_big', -10_000);
  f('attention_scale', 1 / Math.sqrt(shape.hidden / shape.heads));
  // Scalars, so that Gather gives a scalar length and Range takes it.
  g.constant('index_one', BigInt64Array.of(1n), []);
  g.constant('zero_i64', BigInt64Array.of(0n), []);
  g.constant('one_i64', BigInt64Array.of(1n), []);
  i('axes_1_2', [1, 2]);
  i('heads_shape', [0, 0, shape.heads, shape.hidden / shape.heads]);
  i('hidden_shape', [0, 0, shape.hidden]);
}

/** The encoder as ONNX bytes; the same shape always gives the same bytes. */
export function buildBertModel(shape: BertShape): Uint8Array {
  if (shape.hidden % shape.heads !== 0)
    throw new Error(`hidden ${shape.hidden} is not a multiple of heads ${shape.heads}`);
  const g = new GraphWriter(shape.seed);
  constants(g, shape);
  let x = embeddings(g, shape);
  const bias = attentionBias(g);
  for (let index = 0; index < shape.layers; index++) x = layer(g, index, x, bias, shape);
  g.op('Identity', [x], 'last_hidden_state');
  const ids = (name: string) => valueInfo(name, 'int64', ['batch_size', 'sequence_length']);
  return buildModel({
    name: 'bert',
    inputs: [ids('input_ids'), ids('attention_mask'), ids('token_type_ids')],
    outputs: [valueInfo('last_hidden_state', 'float32', ['batch_size', 'sequence_length', shape.hidden])],
    initializers: g.weights,
    nodes: g.nodes,
  });
}
