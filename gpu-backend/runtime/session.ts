/**
 * @module
 * One onnxruntime session behind host tensors: input/output specs read from the model, runs with named
 * fetches, release. The only module that touches `onnxruntime-node` tensors, so the rest of the runtime works
 * on plain typed arrays.
 */
import * as ort from 'onnxruntime-node';
import { isElementType, type ElementType, type HostTensor, type TensorMap } from './tensor.ts';

/** An ONNX input or output as the session reports it; a string dim is symbolic (variable). */
export interface TensorSpec {
  readonly name: string;
  readonly type: ElementType;
  readonly shape: readonly (number | string)[];
}

function specsOf(metadata: readonly ort.InferenceSession.ValueMetadata[], side: string): TensorSpec[] {
  return metadata.map((value) => {
    if (!value.isTensor) throw new Error(`${side} "${value.name}" is not a tensor (unsupported)`);
    const shape = value.shape.map((dim) => (typeof dim === 'number' && dim < 0 ? '?' : dim));
    return { name: value.name, type: value.type as ElementType, shape };
  });
}

/** The same 16-bit patterns as a Uint16Array, whatever typed array holds them (Float16Array on Node 24). */
function halfBits(data: ArrayBufferView): Uint16Array {
  return data instanceof Uint16Array
    ? data
    : new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
}

/**
 * Where Float16Array exists (Node 24) onnxruntime-common wraps FP16 data in one, and onnxruntime-node 1.30's native
 * binding then reads zero bytes from it ("not enough space: expected 4, got 0"): give the binding the bit patterns
 * as the Uint16Array it reads on Node 20. `cpuData` is the field behind `Tensor.data`.
 */
function withHalfBits(made: ort.Tensor): ort.Tensor {
  const inner = made as unknown as { cpuData: ArrayBufferView };
  inner.cpuData = halfBits(inner.cpuData);
  return made;
}

function toOrt(name: string, tensor: HostTensor): ort.Tensor {
  const dims = [...tensor.dims];
  if (tensor.type === 'bytes') {
    const decoder = new TextDecoder();
    return new ort.Tensor(
      'string',
      (tensor.data as Uint8Array[]).map((bytes) => decoder.decode(bytes)),
      dims,
    );
  }
  try {
    const made = new ort.Tensor(tensor.type, tensor.data as ort.Tensor.DataType, dims);
    return tensor.type === 'float16' ? withHalfBits(made) : made;
  } catch (error) {
    throw new Error(`cannot make tensor "${name}": ${error instanceof Error ? error.message : error}`, {
      cause: error,
    });
  }
}

function fromOrt(name: string, value: ort.OnnxValue): HostTensor {
  const type = value.type;
  if (!isElementType(type)) throw new Error(`output "${name}" has unsupported type ${type}`);
  // FP16 outputs come back in a Float16Array on Node 24; the runtime holds FP16 as bit patterns (tensor.ts).
  const data = type === 'float16' ? halfBits(value.data as ArrayBufferView) : value.data;
  return { type, data: data as HostTensor['data'], dims: [...value.dims] };
}

/** Filled by a session with the time its run took, excluding any wait for an earlier run in its thread. */
export interface RunTiming {
  computeUs?: number;
}

export interface RunOptions {
  readonly transfer?: boolean;
  readonly timing?: RunTiming;
}

/** What the runtime needs of a session instance, wherever it runs (this thread or a worker thread). */
export interface SessionInstance {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /**
   * Runs the model; `outputs` names the fetches (all outputs when omitted). `transfer`: the caller gives up
   * the feeds' buffers (a session in another thread then moves them instead of copying).
   */
  run(feeds: TensorMap, outputs?: readonly string[], options?: RunOptions): Promise<TensorMap>;
  release(): Promise<void>;
}

export class OnnxSession implements SessionInstance {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];

  private constructor(private readonly session: ort.InferenceSession) {
    this.inputs = specsOf(session.inputMetadata, 'input');
    this.outputs = specsOf(session.outputMetadata, 'output');
  }

  static async create(
    model: string | Uint8Array,
    options: ort.InferenceSession.SessionOptions,
  ): Promise<OnnxSession> {
    const session =
      typeof model === 'string'
        ? await ort.InferenceSession.create(model, options)
        : await ort.InferenceSession.create(model, options);
    try {
      return new OnnxSession(session);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /** Runs the model; `outputs` names the fetches (all outputs when omitted). */
  async run(feeds: TensorMap, outputs?: readonly string[], { timing }: RunOptions = {}): Promise<TensorMap> {
    const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, toOrt(name, t)]));
    const fetches = outputs ?? this.outputs.map((output) => output.name);
    const started = performance.now();
    const results = await this.session.run(ortFeeds, fetches);
    if (timing) timing.computeUs = (performance.now() - started) * 1000;
    return Object.fromEntries(fetches.map((name) => [name, fromOrt(name, results[name] as ort.OnnxValue)]));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** The backends compiled into this onnxruntime-node build. */
export function supportedBackends(): readonly { name: string }[] {
  return ort.listSupportedBackends();
}
