/**
 * @module
 * Reading a TensorFlow.js graph model (`model.json` + its binary weight shards, the format `tensorflowjs_converter`
 * writes) into plain nodes and typed constant values, so that a converter can walk the graph without TensorFlow.
 * Only unquantized float32, int32 and bool weights are read; anything else is refused with its name.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One attribute of a TF `NodeDef` as TF.js JSON writes it (only the fields the converter reads). */
export interface TfAttr {
  readonly i?: string | number;
  readonly f?: number;
  readonly b?: boolean;
  readonly s?: string | readonly number[];
  readonly type?: string | number;
  readonly list?: { readonly i?: readonly (string | number)[] };
  /** A placeholder's declared shape. */
  readonly shape?: { readonly dim?: readonly unknown[]; readonly unknownRank?: boolean };
}

export interface TfNode {
  readonly name: string;
  readonly op: string;
  readonly input: readonly string[];
  readonly attr: Readonly<Record<string, TfAttr>>;
}

export type TfDType = 'float32' | 'int32' | 'bool';

export interface TfConstant {
  readonly dtype: TfDType;
  readonly shape: readonly number[];
  readonly values: Float32Array | Int32Array | Uint8Array;
}

export interface TfGraph {
  readonly nodes: readonly TfNode[];
  /** The values of the graph's `Const` nodes, by node name. */
  readonly constants: ReadonlyMap<string, TfConstant>;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

interface ModelJson {
  format?: string;
  modelTopology?: { node?: { name: string; op: string; input?: string[]; attr?: Record<string, TfAttr> }[] };
  weightsManifest?: WeightGroup[];
}

const BYTES: Record<TfDType, number> = { float32: 4, int32: 4, bool: 1 };

function isDType(dtype: string): dtype is TfDType {
  return dtype in BYTES;
}

/** The weights of one manifest group, cut from the concatenation of its shards in manifest order. */
function groupConstants(group: WeightGroup, data: Uint8Array, into: Map<string, TfConstant>): void {
  let offset = 0;
  for (const spec of group.weights) {
    if (spec.quantization !== undefined || !isDType(spec.dtype)) {
      throw new Error(
        `weight "${spec.name}": ${spec.dtype} ${spec.quantization ? 'quantized ' : ''}unsupported`,
      );
    }
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const size = count * BYTES[spec.dtype];
    if (offset + size > data.byteLength)
      throw new Error(`weight "${spec.name}" runs past the end of its shards`);
    const bytes = data.slice(offset, offset + size);
    const values =
      spec.dtype === 'float32'
        ? new Float32Array(bytes.buffer, 0, count)
        : spec.dtype === 'int32'
          ? new Int32Array(bytes.buffer, 0, count)
          : bytes;
    into.set(spec.name, { dtype: spec.dtype, shape: spec.shape, values });
    offset += size;
  }
  if (offset !== data.byteLength) {
    throw new Error(`weight shards ${group.paths.join(', ')} hold ${data.byteLength} bytes, specs ${offset}`);
  }
}

/** Parses `model.json` and reads every shard it names from the same folder. */
export async function readGraphModel(modelJsonPath: string): Promise<TfGraph> {
  const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as ModelJson;
  const topology = json.modelTopology?.node;
  if (!topology || !json.weightsManifest) {
    throw new Error(`${modelJsonPath} is not a TF.js graph model (no modelTopology.node or weightsManifest)`);
  }
  const constants = new Map<string, TfConstant>();
  for (const group of json.weightsManifest) {
    const shards = await Promise.all(group.paths.map((path) => readFile(join(dirname(modelJsonPath), path))));
    groupConstants(group, new Uint8Array(Buffer.concat(shards)), constants);
  }
  const nodes = topology.map((n) => ({ name: n.name, op: n.op, input: n.input ?? [], attr: n.attr ?? {} }));
  const missing = nodes.filter((n) => n.op === 'Const' && !constants.has(n.name)).map((n) => n.name);
  if (missing.length > 0) throw new Error(`Const nodes without weights: ${missing.slice(0, 5).join(', ')}`);
  return { nodes, constants };
}
