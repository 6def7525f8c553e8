/**
 * @module
 * Reading the backend's answers defensively: model metadata into {@link ModelInfo}, and an infer response into
 * one embedding per input. Anything off-protocol is a `bad-response` backend error, never a crash.
 */
import type { ModelMetadata, Parameters } from '../../gpu-backend/protocol/types.ts';
import type { ReadResponse } from './binary-output.ts';
import { BackendError } from './errors.ts';
import type { Extra, Extras } from './extras.ts';
import type { EmbeddingModelInfo } from './types.ts';

/**
 * A KServe model's facts: it embeds, in the output its metadata names, and may return extra outputs beside it (its
 * `extra_outputs` parameter, comma-separated: a derived part's `text,confidence`).
 */
export type KServeModelInfo = EmbeddingModelInfo & {
  readonly embeddingOutput: string;
  readonly extraOutputs: readonly string[];
  /** At most this many inputs a call. */
  readonly maxBatchSize: number;
};

const defaultEmbeddingOutput = 'embedding';

/** Inputs per call when neither the server nor the edge's configuration says: small enough for most Tritons. */
export const defaultMaxBatchSize = 32;

function positive(parameters: Parameters | undefined, key: string): number | undefined {
  const value = Number(text(parameters, key));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

function text(parameters: Parameters | undefined, key: string): string | undefined {
  const value = parameters?.[key];
  return value === undefined || value === '' ? undefined : String(value);
}

function dimensionOf(metadata: ModelMetadata, output: string): number {
  const declared = positive(metadata.parameters, 'embedding_dimension');
  if (declared !== undefined) return declared;
  const shape = metadata.outputs.find((tensor) => tensor.name === output)?.shape ?? [];
  const last = shape.at(-1) ?? -1;
  return last > 0 ? last : 0;
}

/**
 * The facts of a modality model (a KServe model embeds); `undefined` for a model without a modality (a helper
 * such as a VAD). `configured`: what the edge's `BACKEND_MODELS` says of it, for what the metadata does not.
 */
export function modelInfoOf(served: ModelMetadata, configured: Parameters = {}): KServeModelInfo | undefined {
  if (typeof served !== 'object' || served === null || typeof served.name !== 'string') {
    throw new BackendError('bad-response', 'the backend sent model metadata without a name');
  }
  const own = typeof served.parameters === 'object' && served.parameters !== null ? served.parameters : {};
  const metadata = { ...served, parameters: { ...configured, ...own } };
  const modality = text(metadata.parameters, 'modality');
  if (modality === undefined) return undefined;
  const embeddingOutput = text(metadata.parameters, 'embedding_output') ?? defaultEmbeddingOutput;
  const embeddingSpace = text(metadata.parameters, 'embedding_space');
  const extraOutputs = (text(metadata.parameters, 'extra_outputs') ?? '').split(',').filter(Boolean);
  const created = positive(metadata.parameters, 'created');
  return {
    kind: 'embedding',
    id: metadata.name,
    modality,
    dimension: dimensionOf(
      { ...metadata, outputs: Array.isArray(metadata.outputs) ? metadata.outputs : [] },
      embeddingOutput,
    ),
    executionProvider: text(metadata.parameters, 'execution_provider') ?? 'unknown',
    embeddingOutput,
    extraOutputs,
    maxBatchSize: positive(metadata.parameters, 'max_batch_size') ?? defaultMaxBatchSize,
    ...(created === undefined ? {} : { created }),
    ...(embeddingSpace === undefined ? {} : { embeddingSpace }),
  };
}

/** Every value a finite number (a plain loop: this runs over every dimension of every answer). */
function allFinite(data: ArrayLike<unknown>): boolean {
  for (let i = 0; i < data.length; i++) {
    const value = data[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  }
  return true;
}

/** Splits the `[N, D]` output into N vectors, after checking it is what was asked for. */
export function readEmbeddings(response: ReadResponse, output: string, count: number): Float32Array[] {
  const tensor = Array.isArray(response?.outputs)
    ? response.outputs.find((candidate) => candidate.name === output)
    : undefined;
  if (tensor === undefined)
    throw new BackendError('bad-response', `the backend's answer has no ${output} output`);
  const [rows, dimension = 0, ...extra] = Array.isArray(tensor.shape) ? tensor.shape : [];
  const data = tensor.data instanceof Float32Array || Array.isArray(tensor.data) ? tensor.data : [];
  const wellFormed =
    rows === count &&
    dimension > 0 &&
    extra.length === 0 &&
    data.length === count * dimension &&
    allFinite(data);
  if (!wellFormed) {
    const shape = JSON.stringify(tensor.shape);
    throw new BackendError('bad-response', `the ${output} output has shape ${shape}; expected [${count}, D]`);
  }
  const values = data instanceof Float32Array ? data : Float32Array.from(data as number[]);
  return Array.from({ length: count }, (_, row) => values.slice(row * dimension, (row + 1) * dimension));
}

/**
 * One row of an extra output: `UINT8` rows are UTF-8 text padded with zeros (how a graph carries a string through
 * the batcher's zero padding), one value is a number, more a row of numbers.
 */
function extraRow(datatype: string, row: readonly number[]): Extra {
  if (datatype === 'UINT8') {
    const end = row.lastIndexOf(0) === -1 ? row.length : row.findLastIndex((byte) => byte !== 0) + 1;
    return new TextDecoder().decode(Uint8Array.from(row.slice(0, end)));
  }
  return row.length === 1 ? (row[0] as number) : row;
}

/** The extra outputs of an answer of `count` rows, per row; an output missing or off-shape is a `bad-response`. */
export function readExtras(response: ReadResponse, names: readonly string[], count: number): Extras[] {
  const rows = Array.from({ length: count }, (): Record<string, Extra> => ({}));
  for (const name of names) {
    const tensor = response.outputs.find((candidate) => candidate.name === name);
    const data =
      tensor && (Array.isArray(tensor.data) || tensor.data instanceof Float32Array) ? tensor.data : [];
    const width = count > 0 ? data.length / count : 0;
    if (tensor === undefined || tensor.shape[0] !== count || !Number.isInteger(width) || !allFinite(data))
      throw new BackendError('bad-response', `the backend's ${name} output is not one row per input`);
    const values = Array.from(data as ArrayLike<number>);
    rows.forEach(
      (row, i) => (row[name] = extraRow(tensor.datatype, values.slice(i * width, (i + 1) * width))),
    );
  }
  return rows;
}
