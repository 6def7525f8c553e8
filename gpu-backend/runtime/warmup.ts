/**
 * @module
 * The feeds of a model's warm-up run: the first of the config's `model_warmup` samples in Triton's form (zero
 * data, or `input_data_file` holding raw little-endian bytes in `<model>/warmup/`) when there is one, else zeros
 * with every variable dim set to 1 but the batch dim, which is `max_batch_size` (a maximum-size batch, so the
 * largest allocations happen before the first client). Warm-up happens before the model is ready, so the first client does not pay
 * for onnxruntime's lazy allocations.
 */
import type { ModelConfig } from '../model-repository/config.ts';
import { elementOfConfig } from './datatypes.ts';
import type { TensorSpec } from './session.ts';
import { zeros, type HostTensor, type TensorMap } from './tensor.ts';

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

export function warmupFeeds(
  inputs: readonly TensorSpec[],
  config: ModelConfig,
  read: ReadWarmupFile,
): TensorMap {
  const sample = config.model_warmup?.[0];
  return Object.fromEntries(
    inputs.map((spec) => [
      spec.name,
      sample
        ? fromSample(spec, sample, config, read)
        : zeros(
            spec.type,
            spec.shape.map((dim, axis) =>
              typeof dim === 'number' ? dim : axis === 0 ? Math.max(1, config.max_batch_size) : 1,
            ),
          ),
    ]),
  );
}
