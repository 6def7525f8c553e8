/**
 * @module
 * What a model's warm-up runs, from the config's `model_warmup` samples in Triton's form. A sample that names the
 * ONNX inputs (zero data, or `input_data_file` holding raw little-endian bytes in `<model>/warmup/`) becomes feeds
 * run on every session instance; without one, zeros with every variable dim set to 1 but the batch dim, which is
 * `max_batch_size` (a maximum-size batch, so the largest allocations happen before the first client). A sample that
 * names a modality model's raw `BYTES` input holds one raw item (a text, a picture, a recording) in its
 * `input_data_file`, repeated `batch_size` times: it goes the way a request goes (admission, the adapter's
 * preprocess, the batcher, a session), so the adapter's first-call costs are paid too. Warm-up happens before the
 * model is ready (docs/warmup.md).
 */
import type { ModelConfig } from '../model-repository/config.ts';
import { elementOfConfig } from './datatypes.ts';
import type { TensorSpec } from './session.ts';
import { zeros, type HostTensor, type TensorMap } from './tensor.ts';

/**
 * `MODALFUSE_WARMUP`: `full` (the default: every sample, raw ones through the adapter), `onnx` (the sessions
 * only, as before raw samples existed) or `off`; the last two exist to measure what warm-up buys (`bench:cold`).
 */
export const WARMUP_MODES = ['full', 'onnx', 'off'] as const;
export type WarmupMode = (typeof WARMUP_MODES)[number];

export function parseWarmupMode(value: string | undefined): WarmupMode {
  const mode = (value ?? '').trim().toLowerCase() || 'full';
  if (!(WARMUP_MODES as readonly string[]).includes(mode)) {
    throw new Error(`MODALFUSE_WARMUP must be one of ${WARMUP_MODES.join(', ')}, got "${value}"`);
  }
  return mode as WarmupMode;
}

/** Reads a file of the model's `warmup/` folder. */
export type ReadWarmupFile = (file: string) => Uint8Array;

type Sample = NonNullable<ModelConfig['model_warmup']>[number];
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** A tensor of `dims` whose every batch row (or the whole, when `rows` is 1) holds the file's bytes. */
function fromFile(
  spec: TensorSpec,
  dims: number[],
  rows: number,
  file: string,
  read: ReadWarmupFile,
): HostTensor {
  if (!FILE_NAME.test(file)) throw new Error(`warm-up file "${file}" must be a plain file name`);
  const tensor = zeros(spec.type, dims);
  if (!ArrayBuffer.isView(tensor.data))
    throw new Error(`warm-up files cannot fill ${spec.type} input "${spec.name}"`);
  const bytes = read(file);
  const rowBytes = tensor.data.byteLength / rows;
  if (bytes.byteLength !== rowBytes) {
    throw new Error(
      `warm-up file "${file}" has ${bytes.byteLength} bytes, input "${spec.name}" needs ${rowBytes}`,
    );
  }
  // Triton repeats one sample for every item of a warm-up batch.
  const target = new Uint8Array(tensor.data.buffer);
  for (let row = 0; row < rows; row++) target.set(bytes, row * rowBytes);
  return tensor;
}

function fromSample(spec: TensorSpec, sample: Sample, config: ModelConfig, read: ReadWarmupFile): HostTensor {
  const input = sample.inputs[spec.name];
  if (!input) {
    const has = Object.keys(sample.inputs).join(', ');
    throw new Error(`model_warmup "${sample.name}" has no input "${spec.name}" (it has: ${has})`);
  }
  if (elementOfConfig(input.data_type) !== spec.type) {
    throw new Error(
      `model_warmup "${sample.name}": input "${spec.name}" is ${spec.type}, not ${input.data_type}`,
    );
  }
  const rows = config.max_batch_size > 0 ? (sample.batch_size ?? 1) : 1;
  const dims = config.max_batch_size > 0 ? [rows, ...input.dims] : [...input.dims];
  return input.input_data_file === undefined
    ? zeros(spec.type, dims)
    : fromFile(spec, dims, rows, input.input_data_file, read);
}

/** Whether a sample feeds the raw input `raw` (rather than the ONNX inputs). */
function isRawSample(sample: Sample, raw: string | undefined): boolean {
  return raw !== undefined && raw in sample.inputs;
}

/** The feeds of every ONNX-level sample, or one maximum-size batch of zeros when the config has none. */
export function warmupFeeds(
  inputs: readonly TensorSpec[],
  config: ModelConfig,
  read: ReadWarmupFile,
  raw?: string,
): TensorMap[] {
  const samples = (config.model_warmup ?? []).filter((sample) => !isRawSample(sample, raw));
  if (samples.length === 0) {
    const batch = Math.max(1, config.max_batch_size);
    const dims = (spec: TensorSpec) =>
      spec.shape.map((dim, axis) => (typeof dim === 'number' ? dim : axis === 0 ? batch : 1));
    return [Object.fromEntries(inputs.map((spec) => [spec.name, zeros(spec.type, dims(spec))]))];
  }
  return samples.map((sample) =>
    Object.fromEntries(inputs.map((spec) => [spec.name, fromSample(spec, sample, config, read)])),
  );
}

/** The raw items of every sample on the raw input `raw`: its file's bytes, `batch_size` times. */
export function rawWarmupItems(config: ModelConfig, raw: string, read: ReadWarmupFile): Uint8Array[][] {
  return (config.model_warmup ?? [])
    .filter((sample) => isRawSample(sample, raw))
    .map((sample) => {
      const input = sample.inputs[raw];
      const others = Object.keys(sample.inputs).filter((name) => name !== raw);
      if (others.length > 0) {
        throw new Error(`model_warmup "${sample.name}": send "${raw}" alone, not with ${others.join(', ')}`);
      }
      if (input?.data_type !== 'TYPE_STRING' || input.input_data_file === undefined) {
        throw new Error(
          `model_warmup "${sample.name}": the raw input "${raw}" needs TYPE_STRING and an input_data_file holding one item`,
        );
      }
      const file = input.input_data_file;
      if (!FILE_NAME.test(file)) throw new Error(`warm-up file "${file}" must be a plain file name`);
      const bytes = read(file);
      if (bytes.byteLength === 0) throw new Error(`warm-up file "${file}" is empty`);
      const rows = config.max_batch_size > 0 ? (sample.batch_size ?? 1) : 1;
      if (config.max_batch_size > 0 && rows > config.max_batch_size) {
        throw new Error(
          `model_warmup "${sample.name}": batch_size ${rows} is over max_batch_size ${config.max_batch_size}`,
        );
      }
      return Array.from({ length: rows }, () => bytes);
    });
}
