/**
 * @module
 * A float image input fed from uint8 pixels instead: a Cast and one per-channel multiply-add in front of the graph
 * compute /255, (x − mean) / std, so a client sends 1 byte a channel value instead of 4 (150 KB for a 224² RGB
 * image instead of 600 KB) — the way Triton deployments commonly take images. The rest of the graph is untouched.
 */
import pkg from 'onnx-proto';
import onnx = pkg.onnx;
import { ELEM_TYPES, node, tensor, valueInfo } from '../onnx/build.ts';
import { readModel, writeModel } from '../onnx/model.ts';

export interface PixelInputSpec {
  /** The float NCHW input to replace. */
  readonly input: string;
  /** The new uint8 input's name. */
  readonly pixels: string;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

/** The dims of `input` if it is a float [N,3,H,W]; anything else is an error that says what it found. */
function checkedDims(graph: onnx.IGraphProto, input: string): onnx.TensorShapeProto.IDimension[] {
  const found = graph.input?.find((i) => i.name === input);
  if (!found) {
    throw new Error(
      `no graph input "${input}" (inputs: ${(graph.input ?? []).map((i) => i.name).join(', ')})`,
    );
  }
  const type = found.type?.tensorType;
  const dims = type?.shape?.dim ?? [];
  if (type?.elemType !== ELEM_TYPES.float32 || dims.length !== 4 || Number(dims[1]?.dimValue) !== 3) {
    throw new Error(`graph input "${input}" must be float32 [N,3,H,W]`);
  }
  return dims;
}

/** The model with its float input `spec.input` computed from the uint8 input `spec.pixels` of the same shape. */
export function addPixelInput(bytes: Uint8Array, spec: PixelInputSpec): Uint8Array {
  const model = readModel(bytes);
  const graph = model.graph;
  if (!graph) throw new Error('the model has no graph');
  const dims = checkedDims(graph, spec.input);
  const normalised = `${spec.pixels}_normalised`;
  for (const n of graph.node ?? []) {
    n.input = (n.input ?? []).map((name) => (name === spec.input ? normalised : name));
  }
  const scale = Float32Array.from(spec.std, (std) => 1 / (255 * std));
  const shift = Float32Array.from(spec.mean, (mean, c) => -mean / (spec.std[c] ?? 1));
  (graph.initializer ??= []).push(
    tensor(`${spec.pixels}_scale`, scale, [1, 3, 1, 1]),
    tensor(`${spec.pixels}_shift`, shift, [1, 3, 1, 1]),
  );
  graph.node = [
    node('Cast', [spec.pixels], [`${spec.pixels}_float`], { to: ELEM_TYPES.float32 }),
    node('Mul', [`${spec.pixels}_float`, `${spec.pixels}_scale`], [`${spec.pixels}_scaled`]),
    node('Add', [`${spec.pixels}_scaled`, `${spec.pixels}_shift`], [normalised]),
    ...(graph.node ?? []),
  ];
  const shape = dims.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));
  graph.input = (graph.input ?? []).map((i) =>
    i.name === spec.input ? onnx.ValueInfoProto.create(valueInfo(spec.pixels, 'uint8', shape)) : i,
  );
  return writeModel(model);
}
