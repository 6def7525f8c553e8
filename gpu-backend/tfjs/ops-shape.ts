/**
 * @module
 * TF → ONNX translations of shape and indexing ops: Reshape, Shape, ExpandDims, Squeeze, ConcatV2, Pack,
 * Transpose, Slice, StridedSlice, SplitV, Where, Range, GatherV2 and ScatterNd. Axes, permutations and slice bounds
 * must be constants of the TF graph (they are in graphs `tensorflowjs_converter` folds); a dynamic one is refused.
 */
import pkg from 'onnx-proto';
import onnx = pkg.onnx;
import { tensor } from '../onnx/build.ts';
import { onnxTypeOf, type NodeContext } from './context.ts';
import type { Translation } from './ops-math.ts';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** `allowzero`: a 0 in a computed shape is an empty dimension, as in TF, not "copy the input's". */
const reshape: Translation = (n) => n.emit('Reshape', n.inputs, [n.output()], { allowzero: 1 });

/** ONNX Shape is int64, which is what every TF integer becomes here (whatever `out_type` says). */
const shape: Translation = (n) => n.emit('Shape', [n.input(0)], [n.output()]);

const expandDims: Translation = (n) => n.emit('Unsqueeze', [n.input(0), n.int64(n.ints(1))], [n.output()]);

const squeeze: Translation = (n) => {
  const axes = n.intList('squeeze_dims');
  n.emit('Squeeze', axes.length > 0 ? [n.input(0), n.int64(axes)] : [n.input(0)], [n.output()]);
};

/** The last input is the axis. */
const concat: Translation = (n) => {
  const inputs = n.inputs;
  const [axis] = n.ints(inputs.length - 1);
  n.emit('Concat', inputs.slice(0, -1), [n.output()], { axis: axis ?? 0 });
};

/** Stacking is unsqueezing each input at the new axis, then concatenating there. */
const pack: Translation = (n) => {
  const axis = n.int('axis', 0);
  const axes = n.int64([axis]);
  const expanded = n.inputs.map((input) => {
    const out = n.temp();
    n.emit('Unsqueeze', [input, axes], [out]);
    return out;
  });
  n.emit('Concat', expanded, [n.output()], { axis });
};

const transpose: Translation = (n) => n.emit('Transpose', [n.input(0)], [n.output()], { perm: n.ints(1) });

/** TF Slice(begin, size): a size of -1 runs to the end of that axis. */
const slice: Translation = (n) => {
  const begin = n.ints(1);
  const ends = n.ints(2).map((size, axis) => (size === -1 ? INT64_MAX : BigInt((begin[axis] ?? 0) + size)));
  const axes = begin.map((_, axis) => axis);
  n.emit('Slice', [n.input(0), n.int64(begin), n.int64(ends), n.int64(axes)], [n.output()]);
};

function bit(mask: number, index: number): boolean {
  return ((mask >> index) & 1) === 1;
}

interface SliceSpec {
  starts: bigint[];
  ends: bigint[];
  steps: number[];
  shrink: number[];
}

/** StridedSlice's per-axis bounds with TF's masks resolved: a masked bound is the whole axis in stride order. */
function stridedSpec(n: NodeContext): SliceSpec {
  const [begin, end, strides] = [n.ints(1), n.ints(2), n.ints(3)];
  if (n.int('ellipsis_mask', 0) !== 0 || n.int('new_axis_mask', 0) !== 0) {
    throw n.error('with an ellipsis or new-axis mask is not supported');
  }
  const [beginMask, endMask, shrinkMask] = ['begin_mask', 'end_mask', 'shrink_axis_mask'].map((m) =>
    n.int(m, 0),
  );
  const spec: SliceSpec = { starts: [], ends: [], steps: [], shrink: [] };
  begin.forEach((start, axis) => {
    const step = strides[axis] ?? 1;
    if (bit(shrinkMask ?? 0, axis)) {
      // One element at `start` (-1 is the last): the axis is then dropped.
      spec.starts.push(BigInt(start));
      spec.ends.push(start === -1 ? INT64_MAX : BigInt(start + 1));
      spec.steps.push(1);
      spec.shrink.push(axis);
      return;
    }
    const forward = step > 0;
    spec.starts.push(bit(beginMask ?? 0, axis) ? (forward ? 0n : INT64_MAX) : BigInt(start));
    spec.ends.push(bit(endMask ?? 0, axis) ? (forward ? INT64_MAX : INT64_MIN) : BigInt(end[axis] ?? 0));
    spec.steps.push(step);
  });
  return spec;
}

const stridedSlice: Translation = (n) => {
  const spec = stridedSpec(n);
  const axes = spec.starts.map((_, axis) => axis);
  const bounds = [n.int64(spec.starts), n.int64(spec.ends), n.int64(axes), n.int64(spec.steps)];
  if (spec.shrink.length === 0) return n.emit('Slice', [n.input(0), ...bounds], [n.output()]);
  const sliced = n.temp();
  n.emit('Slice', [n.input(0), ...bounds], [sliced]);
  n.emit('Squeeze', [sliced, n.int64(spec.shrink)], [n.output()]);
};

/** SplitV(value, size_splits, axis) with every size given (a -1 size is refused). */
const splitV: Translation = (n) => {
  const sizes = n.ints(1);
  const [axis] = n.ints(2);
  if (sizes.includes(-1)) throw n.error('with an inferred (-1) split size is not supported');
  const outputs = sizes.map((_, index) => n.output(index));
  n.emit('Split', [n.input(0), n.int64(sizes)], outputs, { axis: axis ?? 0 });
};

/** TF Where(condition) lists the true coordinates [count, rank] in row-major order; ONNX NonZero gives [rank, count]. */
const where: Translation = (n) => {
  if (n.inputs.length !== 1) throw n.error('with x and y inputs is not supported (that is SelectV2)');
  const coordinates = n.temp();
  n.emit('NonZero', [n.input(0)], [coordinates]);
  n.emit('Transpose', [coordinates], [n.output()], { perm: [1, 0] });
};

const range: Translation = (n) => n.emit('Range', n.inputs, [n.output()]);

const gatherV2: Translation = (n) => {
  if (n.int('batch_dims', 0) !== 0) throw n.error('with batch_dims is not supported');
  const [axis] = n.ints(2);
  n.emit('Gather', [n.input(0), n.input(1)], [n.output()], { axis: axis ?? 0 });
};

/**
 * ScatterNd(indices, updates, shape) writes into zeros. TF adds duplicate indices where ONNX's ScatterND leaves
 * them undefined; the graphs converted here scatter back rows they gathered, whose indices are distinct.
 */
const scatterNd: Translation = (n) => {
  const type = onnxTypeOf(n.attr('T')?.type);
  if (type === onnx.TensorProto.DataType.BOOL) throw n.error('of booleans is not supported');
  const zero =
    type === onnx.TensorProto.DataType.FLOAT
      ? tensor('zero', Float32Array.of(0), [1])
      : tensor('zero', BigInt64Array.of(0n), [1]);
  const zeros = n.temp();
  n.emit('ConstantOfShape', [n.input(2)], [zeros], { value: zero });
  n.emit('ScatterND', [zeros, n.input(0), n.input(1)], [n.output()]);
};

export const SHAPE_TRANSLATIONS: Record<string, Translation> = {
  Reshape: reshape,
  Shape: shape,
  ExpandDims: expandDims,
  Squeeze: squeeze,
  ConcatV2: concat,
  Pack: pack,
  Transpose: transpose,
  Slice: slice,
  StridedSlice: stridedSlice,
  SplitV: splitV,
  Where: where,
  Range: range,
  GatherV2: gatherV2,
  ScatterNd: scatterNd,
};
