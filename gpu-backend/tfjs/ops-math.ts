/**
 * @module
 * TF → ONNX translations of arithmetic: element-wise ops (both broadcast like NumPy), casts, reductions, softmax
 * and the matrix products (MatMul, BatchMatMul, and Conv2D when its kernel is 1×1, which is a MatMul over the
 * channels). Each keeps TF's semantics exactly; a form TF allows but these do not cover is refused by name.
 */
import { onnxTypeOf, type NodeContext } from './context.ts';

export type Translation = (n: NodeContext) => void;

/** Ops that are one ONNX op with the same inputs. */
const SAME: Record<string, string> = {
  Identity: 'Identity',
  Add: 'Add',
  AddV2: 'Add',
  Sub: 'Sub',
  Mul: 'Mul',
  RealDiv: 'Div',
  Maximum: 'Max',
  Minimum: 'Min',
  Less: 'Less',
  Greater: 'Greater',
  LogicalNot: 'Not',
  Relu: 'Relu',
  Tanh: 'Tanh',
  Sin: 'Sin',
  Cos: 'Cos',
  Sqrt: 'Sqrt',
  GatherNd: 'GatherND',
};

function same(op: string): Translation {
  return (n) => n.emit(op, n.inputs, [n.output()]);
}

/** `axes` of a reduction; TF reduces nothing for an empty list, ONNX (before opset 18) everything. */
function reduction(op: 'ReduceSum' | 'ReduceMean' | 'ReduceMax' | 'ReduceProd'): Translation {
  return (n) => {
    const axes = n.ints(1);
    const keepdims = n.bool('keep_dims') ? 1 : 0;
    if (axes.length === 0) return n.emit('Identity', [n.input(0)], [n.output()]);
    // Opset 13–17: only ReduceSum takes its axes as an input.
    if (op === 'ReduceSum') return n.emit(op, [n.input(0), n.int64(axes)], [n.output()], { keepdims });
    n.emit(op, [n.input(0)], [n.output()], { axes, keepdims });
  };
}

function transposed(n: NodeContext, input: string, flag: boolean): string {
  if (!flag) return input;
  const out = n.temp();
  n.emit('Transpose', [input], [out], { perm: [1, 0] });
  return out;
}

/** TF MatMul is 2-D only, so a transpose is always perm [1,0]. */
const matMul: Translation = (n) => {
  const a = transposed(n, n.input(0), n.bool('transpose_a'));
  const b = transposed(n, n.input(1), n.bool('transpose_b'));
  n.emit('MatMul', [a, b], [n.output()]);
};

/** The permutation that swaps the last two of `rank` axes (an adjoint, for real tensors). */
function swapLastTwo(rank: number): number[] {
  return [...Array.from({ length: rank - 2 }, (_, axis) => axis), rank - 1, rank - 2];
}

/**
 * An adjoint input becomes a Transpose where its rank is known (the form exporters emit, which every execution
 * provider runs as a plain MatMul), else an Einsum, which states it for any rank.
 */
const batchMatMul: Translation = (n) => {
  const adjoint = [n.bool('adj_x'), n.bool('adj_y')];
  if (!adjoint.includes(true)) return n.emit('MatMul', n.inputs, [n.output()]);
  const ranks = n.inputs.map((input, at) => (adjoint[at] ? n.writer.rankOf(input) : 0));
  if (ranks.every((rank) => rank !== undefined && (rank === 0 || rank >= 2))) {
    const operands = n.inputs.map((input, at) => {
      if (!adjoint[at]) return input;
      const out = n.temp();
      n.emit('Transpose', [input], [out], { perm: swapLastTwo(ranks[at] ?? 2) });
      return out;
    });
    return n.emit('MatMul', operands, [n.output()]);
  }
  const equation = `${adjoint[0] ? '...ji' : '...ij'},${adjoint[1] ? '...kj' : '...jk'}->...ik`;
  n.emit('Einsum', n.inputs, [n.output()], { equation });
};

function allOnes(values: number[]): boolean {
  return values.every((v) => v === 1);
}

/** NHWC Conv2D with a constant 1×1 kernel and unit strides: out[..., o] = Σ_c x[..., c] · W[0,0,c,o]. */
const conv2d: Translation = (n) => {
  const kernel = n.writer.constant(n.input(1));
  const format = n.string('data_format') ?? 'NHWC';
  const shape = kernel?.shape ?? [];
  const [kh, kw, channels, filters] = shape;
  const unit = allOnes(n.intList('strides')) && allOnes(n.intList('dilations'));
  if (!kernel || kernel.dtype !== 'float32' || kh !== 1 || kw !== 1 || !unit || format !== 'NHWC') {
    throw n.error(
      `is supported only as NHWC with a constant 1×1 kernel and unit strides (${format}, [${shape}])`,
    );
  }
  const matrix = n.writer.float32(n.node.name, kernel.values as Float32Array, [channels ?? 0, filters ?? 0]);
  n.emit('MatMul', [n.input(0), matrix], [n.output()]);
};

const biasAdd: Translation = (n) => {
  const format = n.string('data_format') ?? 'NHWC';
  if (format !== 'NHWC') throw n.error(`is supported only as NHWC (got ${format})`);
  n.emit('Add', n.inputs, [n.output()]);
};

const cast: Translation = (n) => {
  const from = onnxTypeOf(n.attr('SrcT')?.type);
  const to = onnxTypeOf(n.attr('DstT')?.type);
  // int32 and int64 both become int64 here, so such a cast is a copy.
  n.emit(from === to ? 'Identity' : 'Cast', [n.input(0)], [n.output()], from === to ? {} : { to });
};

const square: Translation = (n) => n.emit('Mul', [n.input(0), n.input(0)], [n.output()]);

const rsqrt: Translation = (n) => {
  const root = n.temp();
  n.emit('Sqrt', [n.input(0)], [root]);
  n.emit('Reciprocal', [root], [n.output()]);
};

/** TF's Softmax is over the last axis; ONNX's (opset ≥ 13) over the one axis named. */
const softmax: Translation = (n) => n.emit('Softmax', [n.input(0)], [n.output()], { axis: -1 });

export const MATH_TRANSLATIONS: Record<string, Translation> = {
  ...Object.fromEntries(Object.entries(SAME).map(([tf, op]) => [tf, same(op)])),
  Sum: reduction('ReduceSum'),
  Mean: reduction('ReduceMean'),
  Max: reduction('ReduceMax'),
  Prod: reduction('ReduceProd'),
  MatMul: matMul,
  BatchMatMul: batchMatMul,
  BatchMatMulV2: batchMatMul,
  Conv2D: conv2d,
  BiasAdd: biasAdd,
  Cast: cast,
  Square: square,
  Rsqrt: rsqrt,
  Softmax: softmax,
};
