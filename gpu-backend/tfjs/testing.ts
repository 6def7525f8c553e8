/**
 * @module
 * Helpers for the converter's tests: write a small TF.js graph model folder (model.json + one weight shard), run
 * it with TF.js itself (`@energetic-ai/core`, the runtime of the USE-lite reference) and, converted, with
 * onnxruntime, so each op translation is checked against TF's own semantics rather than against expectations
 * written here.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@energetic-ai/core';
import * as ort from 'onnxruntime-node';
import { valueInfo } from '../onnx/build.ts';
import { convertGraph, type GraphFront } from './convert.ts';
import { readGraphModel, type TfAttr } from './graph-model.ts';

/** The part of TF.js these tests use; the package's own types re-export `@tensorflow/*`, which it bundles. */
interface TfjsTensor {
  readonly shape: number[];
  data(): Promise<ArrayLike<number>>;
}
interface TfjsGraphModel {
  execute(feeds: Record<string, TfjsTensor>, output: string): TfjsTensor;
  executeAsync(feeds: Record<string, TfjsTensor>, output: string): Promise<TfjsTensor>;
}
interface Tfjs {
  ready(): Promise<void>;
  loadGraphModel(url: string): Promise<TfjsGraphModel>;
  tensor(values: number[], shape: number[], dtype: string): TfjsTensor;
}
const tf = core as unknown as Tfjs;

export interface TestNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

export interface TestConstant {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  values: number[];
}

export interface TestInput {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  values: number[];
}

export interface TestGraph {
  inputs: TestInput[];
  constants?: TestConstant[];
  nodes: TestNode[];
  /** The node whose output is compared. */
  output: string;
}

export const attr = {
  i: (value: number): TfAttr => ({ i: String(value) }),
  b: (value: boolean): TfAttr => ({ b: value }),
  ints: (values: number[]): TfAttr => ({ list: { i: values.map(String) } }),
  s: (value: string): TfAttr => ({ s: Buffer.from(value).toString('base64') }),
  type: (dtype: 'DT_FLOAT' | 'DT_INT32' | 'DT_BOOL'): TfAttr => ({ type: dtype }),
};

const DT = { float32: 'DT_FLOAT', int32: 'DT_INT32' } as const;

/** Deterministic values in (-2, 2), different for each seed. */
export function values(count: number, seed = 1): number[] {
  return Array.from(
    { length: count },
    (_, i) => Math.round(Math.sin((i + 1) * 12.9898 * seed) * 2000) / 1000,
  );
}

function modelJson(graph: TestGraph): object {
  const placeholders = graph.inputs.map((input) => ({
    name: input.name,
    op: 'Placeholder',
    attr: {
      dtype: { type: DT[input.dtype] },
      shape: { shape: { dim: input.shape.map((size) => ({ size: String(size) })) } },
    },
  }));
  const constants = (graph.constants ?? []).map((c) => ({
    name: c.name,
    op: 'Const',
    attr: {
      dtype: { type: DT[c.dtype] },
      value: {
        tensor: { dtype: DT[c.dtype], tensorShape: { dim: c.shape.map((size) => ({ size: String(size) })) } },
      },
    },
  }));
  const weights = (graph.constants ?? []).map(({ name, shape, dtype }) => ({ name, shape, dtype }));
  return {
    format: 'graph-model',
    modelTopology: { node: [...placeholders, ...constants, ...graph.nodes], versions: {} },
    weightsManifest: [{ paths: ['weights.bin'], weights }],
  };
}

function shard(constants: readonly TestConstant[]): Buffer {
  return Buffer.concat(
    constants.map((c) => {
      const typed = c.dtype === 'float32' ? Float32Array.from(c.values) : Int32Array.from(c.values);
      return Buffer.from(typed.buffer);
    }),
  );
}

export interface Result {
  dims: number[];
  values: number[];
}

async function runTfjs(path: string, graph: TestGraph): Promise<Result> {
  await tf.ready();
  const model = await tf.loadGraphModel(`file://${path}`);
  const feeds = Object.fromEntries(graph.inputs.map((i) => [i.name, tf.tensor(i.values, i.shape, i.dtype)]));
  // Where's output shape depends on the data, which TF.js runs only with executeAsync (it warns elsewhere).
  const dynamic = graph.nodes.some((n) => n.op === 'Where');
  const out = dynamic ? await model.executeAsync(feeds, graph.output) : model.execute(feeds, graph.output);
  return { dims: out.shape, values: Array.from(await out.data(), Number) };
}

/** Each TF placeholder becomes the ONNX input of that name (int32 as int64, as the converter's integers). */
export function placeholderFront(inputs: readonly TestInput[]): GraphFront {
  return {
    inputs: inputs.map((i) => valueInfo(i.name, i.dtype === 'float32' ? 'float32' : 'int64', i.shape)),
    provides: inputs.map((i) => i.name),
    write: () => undefined,
  };
}

function convertAt(path: string, graph: TestGraph): Promise<Uint8Array> {
  return readGraphModel(path).then((tfGraph) =>
    convertGraph(tfGraph, {
      name: 'test',
      front: placeholderFront(graph.inputs),
      output: { tf: graph.output, name: 'converted' },
    }),
  );
}

async function runOnnx(bytes: Uint8Array, graph: TestGraph): Promise<Result> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = Object.fromEntries(
      graph.inputs.map((i) => [
        i.name,
        i.dtype === 'float32'
          ? new ort.Tensor('float32', Float32Array.from(i.values), i.shape)
          : new ort.Tensor(
              'int64',
              BigInt64Array.from(i.values, (v) => BigInt(v)),
              i.shape,
            ),
      ]),
    );
    const out = (await session.run(feeds)).converted as ort.Tensor;
    return { dims: [...out.dims], values: Array.from(out.data as ArrayLike<number | bigint>, Number) };
  } finally {
    await session.release();
  }
}

/** Runs `body` on the graph written as model.json + weights.bin in a temporary folder. */
async function inFolder<T>(graph: TestGraph, body: (modelJsonPath: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'modalfuse-tfjs-'));
  try {
    const path = join(dir, 'model.json');
    await writeFile(path, JSON.stringify(modelJson(graph)));
    await writeFile(join(dir, 'weights.bin'), shard(graph.constants ?? []));
    return await body(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What TF.js and the converted graph make of the same graph and inputs. */
export function bothWays(graph: TestGraph): Promise<{ tfjs: Result; onnx: Result }> {
  return inFolder(graph, async (path) => ({
    tfjs: await runTfjs(path, graph),
    onnx: await runOnnx(await convertAt(path, graph), graph),
  }));
}

/** The graph converted (for tests of what the converter refuses). */
export function convertOnly(graph: TestGraph): Promise<Uint8Array> {
  return inFolder(graph, (path) => convertAt(path, graph));
}
