/**
 * @module
 * Batching tensors along dimension 0: {@link collate} pads every other dimension to the largest in the batch
 * with zeros (adapters guarantee zero is a neutral value) and concatenates; {@link splitBatch} cuts a batch's
 * outputs back into per-item tensors. Pure functions, so the dynamic batcher can reuse them as they are.
 */
import { copyElements, elementCount, zeros, type HostTensor, type TensorMap } from './tensor.ts';

/**
 * Copies `tensor` into `target` (same rank, every dim at least as large) at batch row `rowOffset`. Trailing
 * axes whose size already matches the target's are contiguous in both, so they are copied as one block: an
 * item that needs no padding (an image) is a single copy, not one per innermost row.
 */
function copyPadded(tensor: HostTensor, target: HostTensor, rowOffset: number): void {
  const rank = tensor.dims.length;
  let blockAxis = rank - 1;
  while (blockAxis > 0 && tensor.dims[blockAxis] === target.dims[blockAxis]) blockAxis--;
  const block = elementCount(tensor.dims.slice(blockAxis));
  const rows = block === 0 ? 0 : elementCount(tensor.dims) / block;
  const targetStrides = strides(target.dims);
  for (let row = 0; row < rows; row++) {
    // Decompose the source row index into its leading indices, then place it with the target's strides.
    let rest = row;
    let offset = rowOffset * (targetStrides[0] ?? 1);
    for (let axis = blockAxis - 1; axis >= 0; axis--) {
      const size = tensor.dims[axis] ?? 1;
      offset += (rest % size) * (targetStrides[axis] ?? 1);
      rest = Math.floor(rest / size);
    }
    copyElements(tensor.data, row * block, target.data, offset, block);
  }
}

function strides(dims: readonly number[]): number[] {
  const result = new Array<number>(dims.length).fill(1);
  for (let axis = dims.length - 2; axis >= 0; axis--) {
    result[axis] = (result[axis + 1] ?? 1) * (dims[axis + 1] ?? 1);
  }
  return result;
}

/** Pads each tensor's non-batch dims to the batch maximum and concatenates along dim 0. */
export function concatBatch(name: string, tensors: readonly HostTensor[]): HostTensor {
  const first = tensors[0];
  if (!first) throw new Error(`cannot batch "${name}": no tensors`);
  if (first.dims.length === 0) throw new Error(`cannot batch "${name}": it is a scalar`);
  for (const t of tensors) {
    if (t.type !== first.type || t.dims.length !== first.dims.length) {
      throw new Error(
        `cannot batch "${name}": items differ (${first.type}[${first.dims.join(',')}] vs ${t.type}[${t.dims.join(',')}])`,
      );
    }
  }
  const dims = first.dims.map((_, axis) => Math.max(...tensors.map((t) => t.dims[axis] ?? 0)));
  dims[0] = tensors.reduce((sum, t) => sum + (t.dims[0] ?? 0), 0);
  const target = zeros(first.type, dims);
  let row = 0;
  for (const t of tensors) {
    copyPadded(t, target, row);
    row += t.dims[0] ?? 0;
  }
  return target;
}

/** Collates per-item feeds (same names in each) into one batch. */
export function collate(items: readonly TensorMap[]): TensorMap {
  const first = items[0];
  if (!first) throw new Error('cannot collate an empty batch');
  const names = Object.keys(first).sort();
  for (const item of items) {
    const other = Object.keys(item).sort();
    if (other.join('\0') !== names.join('\0')) {
      throw new Error(`cannot collate items with different tensors: [${names}] vs [${other}]`);
    }
  }
  return Object.fromEntries(
    names.map((name) => [
      name,
      concatBatch(
        name,
        items.map((item) => item[name] as HostTensor),
      ),
    ]),
  );
}

/** Cuts each tensor of a batch of `count` items back into `count` tensors with batch dim 1. */
export function splitBatch(batch: TensorMap, count: number): TensorMap[] {
  const items: TensorMap[] = Array.from({ length: count }, () => ({}));
  for (const [name, tensor] of Object.entries(batch)) {
    if (tensor.dims[0] !== count) {
      throw new Error(
        `output "${name}" has shape [${tensor.dims.join(',')}]: expected batch dimension ${count}`,
      );
    }
    const dims = [1, ...tensor.dims.slice(1)];
    const size = elementCount(dims);
    items.forEach((item, index) => {
      const part = zeros(tensor.type, dims);
      copyElements(tensor.data, index * size, part.data, 0, size);
      item[name] = part;
    });
  }
  return items;
}
