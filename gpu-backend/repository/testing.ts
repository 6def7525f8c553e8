/**
 * @module
 * Helpers for this folder's tests: where the real source files are, temporary folders, and one-shot onnxruntime
 * runs that release their session.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { defaultPaths } from './prepare.ts';

/** MODALFUSE_MODELS_DIR, or `../shared/models` beside the repository. */
export const modelsDir = defaultPaths().modelsDir;

export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'modalfuse-repo-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export type Outputs = ort.InferenceSession.OnnxValueMapType;

/** Loads a model (path or bytes), runs it once and releases it. */
export async function runOnce(
  model: string | Uint8Array,
  feeds: Record<string, ort.Tensor>,
): Promise<Outputs> {
  const session =
    typeof model === 'string'
      ? await ort.InferenceSession.create(model)
      : await ort.InferenceSession.create(model);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

export function f32(data: Float32Array | number[], dims: number[]): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.from(data), dims);
}

export function i64(data: number[], dims: number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(data.map(BigInt)), dims);
}

export function floats(outputs: Outputs, name: string): Float32Array {
  const tensor = outputs[name];
  if (!tensor) throw new Error(`no output "${name}" (outputs: ${Object.keys(outputs).join(', ')})`);
  return tensor.data as Float32Array;
}
