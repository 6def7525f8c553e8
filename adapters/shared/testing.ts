/**
 * @module
 * Test helpers shared by the adapters' tests (both faces): catching the typed input error an adapter throws, and
 * reading the tensors a preprocessor returns.
 */
import { expect } from 'vitest';
import { AdapterInputError } from '../errors.ts';
import type { Feeds, TensorValue } from '../types.ts';

/** The AdapterInputError that `run` throws or rejects with; fails the test if it succeeds or throws anything else. */
export async function inputErrorOf(run: () => unknown): Promise<AdapterInputError> {
  const thrown: unknown = await Promise.resolve()
    .then(run)
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  expect(thrown).toBeInstanceOf(AdapterInputError);
  return thrown as AdapterInputError;
}

/** Tensor `name` of `feeds`; fails the test when it is missing. */
export function tensorOf(feeds: Feeds, name: string): TensorValue {
  const tensor = feeds[name];
  if (!tensor) throw new Error(`no tensor "${name}" among ${Object.keys(feeds).join(', ')}`);
  return tensor;
}

/** The float32 data of tensor `name` of `feeds`; fails the test when it is missing or of another type. */
export function float32Of(feeds: Feeds, name: string): Float32Array {
  const { data } = tensorOf(feeds, name);
  if (!(data instanceof Float32Array)) throw new Error(`tensor "${name}" is not float32`);
  return data;
}
