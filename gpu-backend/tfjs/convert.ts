/**
 * @module
 * TF.js graph model → ONNX model, op by op. A caller-supplied front replaces the graph's inputs: it declares the
 * ONNX inputs and writes nodes that compute some TF tensors itself (e.g. dense token ids in place of a sparse
 * input and its `SparseToDense`); only the nodes the output needs beyond those are converted, in dependence order,
 * and only the constants they read become initializers. An op without a translation is an error naming it.
 */
import pkg from 'onnx-proto';
import onnx = pkg.onnx;
import { buildModel, tensor, valueInfo } from '../onnx/build.ts';
import { NodeContext, OnnxWriter, producerOf, tensorName } from './context.ts';
import type { TfConstant, TfGraph, TfNode } from './graph-model.ts';
import { MATH_TRANSLATIONS, type Translation } from './ops-math.ts';
import { SHAPE_TRANSLATIONS } from './ops-shape.ts';

const TRANSLATIONS: Record<string, Translation> = { ...MATH_TRANSLATIONS, ...SHAPE_TRANSLATIONS };

export interface GraphFront {
  readonly inputs: readonly onnx.IValueInfoProto[];
  /** TF tensor names the front's nodes compute, so that their producers are not converted. */
  readonly provides: readonly string[];
  write(writer: OnnxWriter): void;
}

export interface ConversionSpec {
  readonly name: string;
  readonly front: GraphFront;
  /** The TF tensor that becomes the float32 ONNX output `name`; dims (strings symbolic) if known. */
  readonly output: { readonly tf: string; readonly name: string; readonly dims?: (number | string)[] };
}

function outputInfo(name: string, dims: (number | string)[] | undefined): onnx.IValueInfoProto {
  if (dims) return valueInfo(name, 'float32', dims);
  return { name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } };
}

/** ONNX opset of the converted graph: every op above at its opset-17 form, which onnxruntime ≥ 1.13 runs. */
const CONVERTED_OPSET = 17;

/** The one node nothing reads (besides constants): a graph's output; none or several is an error. */
export function soleOutput(graph: TfGraph): string {
  const read = new Set(
    graph.nodes.flatMap((n) => n.input.map((input) => producerOf(tensorName(input.replace(/^\^/, ''))))),
  );
  const sinks = graph.nodes.filter((n) => n.op !== 'Const' && !read.has(n.name)).map((n) => n.name);
  if (sinks.length !== 1)
    throw new Error(`expected one output node, found ${sinks.length}: ${sinks.join(', ')}`);
  return sinks[0] as string;
}

/** The nodes `output` depends on, each after its inputs, stopping at tensors the front provides. */
function nodesNeeded(graph: TfGraph, output: string, provided: ReadonlySet<string>): TfNode[] {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const order: TfNode[] = [];
  const seen = new Set<string>();
  const visit = (input: string): void => {
    const name = tensorName(input);
    if (provided.has(name)) return;
    const producer = byName.get(producerOf(name));
    if (!producer) throw new Error(`tensor "${name}" has no producing node in the graph`);
    if (seen.has(producer.name)) return;
    seen.add(producer.name);
    producer.input.filter((i) => !i.startsWith('^')).forEach(visit);
    order.push(producer);
  };
  visit(output);
  return order;
}

function initializerOf(name: string, constant: TfConstant): onnx.ITensorProto {
  const dims = [...constant.shape];
  if (constant.dtype === 'float32') return tensor(name, constant.values, dims);
  if (constant.dtype === 'int32')
    return tensor(
      name,
      BigInt64Array.from(constant.values, (v) => BigInt(v)),
      dims,
    );
  return tensor(name, constant.values, dims, 'bool');
}

/** Initializers for the TF constants that ONNX nodes read as tensors (not those only read as attributes). */
function usedConstants(writer: OnnxWriter): onnx.ITensorProto[] {
  const read = new Set(writer.nodes.flatMap((n) => n.input ?? []));
  return [...read].flatMap((name) => {
    const constant = writer.graph.constants.get(name);
    return constant ? [initializerOf(name, constant)] : [];
  });
}

function translate(n: TfNode, writer: OnnxWriter): void {
  if (n.op === 'Const') return;
  if (n.op === 'Placeholder') {
    throw new Error(`placeholder "${n.name}" is needed by the output but not replaced by the front`);
  }
  const translation = TRANSLATIONS[n.op];
  if (!translation) throw new Error(`TF op ${n.op} (node "${n.name}") has no ONNX translation`);
  translation(new NodeContext(n, writer));
}

/** The converted model's bytes. */
export function convertGraph(graph: TfGraph, spec: ConversionSpec): Uint8Array {
  const writer = new OnnxWriter(graph);
  spec.front.write(writer);
  for (const n of nodesNeeded(graph, spec.output.tf, new Set(spec.front.provides))) translate(n, writer);
  if (spec.output.tf !== spec.output.name) writer.add('Identity', [spec.output.tf], [spec.output.name]);
  return buildModel({
    name: spec.name,
    inputs: [...spec.front.inputs],
    outputs: [outputInfo(spec.output.name, spec.output.dims)],
    nodes: writer.nodes,
    initializers: [...usedConstants(writer), ...writer.initializers],
    opset: CONVERTED_OPSET,
    producer: 'modalfuse tfjs-to-onnx',
  });
}
