/**
 * @module
 * Checking a request's decoded tensors against the model before anything runs, and cutting them into items
 * (batch dim 1 each) for the scheduler: raw BYTES items for a preprocessor, or the ONNX inputs sent directly.
 * Every mismatch is the client's fault and says what the model expects.
 */
import { splitBatch } from './collate.ts';
import { DATATYPE_OF } from './datatypes.ts';
import { badRequest } from './errors.ts';
import type { TensorSpec } from './session.ts';
import type { HostTensor, TensorMap } from './tensor.ts';

const shapeText = (shape: readonly (number | string)[]): string => `[${shape.join(',')}]`;

function sameType(spec: TensorSpec, tensor: HostTensor): boolean {
  return DATATYPE_OF[spec.type] === DATATYPE_OF[tensor.type];
}

/** Checks names, datatypes, ranks and fixed dims; the batch dim (0) is free when the model batches. */
export function checkInputs(specs: readonly TensorSpec[], inputs: TensorMap, batching: boolean): void {
  const expected = specs.map((spec) => spec.name).join(', ');
  for (const name of Object.keys(inputs)) {
    if (!specs.some((spec) => spec.name === name)) {
      throw badRequest(`unknown input "${name}" (model inputs: ${expected})`);
    }
  }
  for (const spec of specs) {
    const tensor = inputs[spec.name];
    if (!tensor) throw badRequest(`missing input "${spec.name}" (model inputs: ${expected})`);
    if (!sameType(spec, tensor)) {
      throw badRequest(
        `input "${spec.name}" must be ${DATATYPE_OF[spec.type]}, got ${DATATYPE_OF[tensor.type]}`,
      );
    }
    const fits =
      tensor.dims.length === spec.shape.length &&
      spec.shape.every(
        (dim, axis) => typeof dim === 'string' || (batching && axis === 0) || dim === tensor.dims[axis],
      );
    if (!fits) {
      throw badRequest(
        `input "${spec.name}" has shape ${shapeText(tensor.dims)}, model expects ${shapeText(spec.shape)}`,
      );
    }
  }
}

/**
 * The items of a direct request: for a batching model, one per row of dim 0 (equal in every input), a request of
 * one row as it is (not copied); for a model with `max_batch_size` 0, the inputs as given.
 */
export function directItems(
  specs: readonly TensorSpec[],
  inputs: TensorMap,
  maxBatchSize: number,
): TensorMap[] {
  const batching = maxBatchSize > 0;
  checkInputs(specs, inputs, batching);
  if (!batching) return [inputs];
  const sizes = new Set(Object.values(inputs).map((tensor) => tensor.dims[0]));
  const [size] = sizes;
  if (sizes.size !== 1 || size === undefined) {
    throw badRequest(`inputs disagree on the batch dimension (dim 0): ${[...sizes].join(' vs ')}`);
  }
  if (size < 1) throw badRequest('the batch dimension (dim 0) must be at least 1');
  // One item (what the edge sends) is already batch dim 1: splitting would copy every tensor (150 KB for an
  // image) only for the scheduler to copy it again into its batch; the views into the body serve as they are.
  return size === 1 ? [inputs] : splitBatch(inputs, size);
}

/** The raw items of a modality request: a BYTES tensor of shape [N] or [N,1]. */
export function rawItems(name: string, tensor: HostTensor, maxBatchSize: number): Uint8Array[] {
  if (tensor.type !== 'bytes') {
    throw badRequest(`input "${name}" must be BYTES, got ${DATATYPE_OF[tensor.type]}`);
  }
  const [count = 0, ...rest] = tensor.dims;
  if (tensor.dims.length === 0 || tensor.dims.length > 2 || rest.some((dim) => dim !== 1)) {
    throw badRequest(`input "${name}" must have shape [N] or [N,1], got ${shapeText(tensor.dims)}`);
  }
  if (count < 1) throw badRequest(`input "${name}" holds no items`);
  if (maxBatchSize === 0 && count !== 1) {
    throw badRequest(`this model does not batch (max_batch_size 0): send one "${name}" item, got ${count}`);
  }
  return tensor.data as Uint8Array[];
}

/**
 * The outputs to fetch: the requested ones (each must exist, no repeats) or all of them, in `preferred`
 * order (the config's, embedding first) followed by any others the model has.
 */
export function resolveOutputs(
  available: readonly string[],
  preferred: readonly string[],
  requested?: readonly string[],
): string[] {
  if (requested && requested.length > 0) {
    const seen = new Set<string>();
    for (const name of requested) {
      if (!available.includes(name)) {
        throw badRequest(`unknown output "${name}" (model outputs: ${available.join(', ')})`);
      }
      if (seen.has(name)) throw badRequest(`output "${name}" is requested twice`);
      seen.add(name);
    }
    return [...requested];
  }
  const first = preferred.filter((name) => available.includes(name));
  return [...first, ...available.filter((name) => !first.includes(name))];
}
