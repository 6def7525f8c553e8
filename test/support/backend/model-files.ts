/**
 * @module
 * Helpers for the model builder's tests (gpu-backend/model-builder/): where the real source files are, temporary folders, a static file server on
 * 127.0.0.1 standing in for the download mirrors, and one-shot onnxruntime runs that release their session.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import * as ort from 'onnxruntime-node';
import { defaultPaths } from '../../../gpu-backend/model-builder/prepare.ts';

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

export interface FileServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the files under `root` on a free loopback port (404 for anything else). */
export async function serveDirectory(root: string): Promise<FileServer> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const stream = createReadStream(join(root, path));
    stream.once('error', () => response.writeHead(404).end('not found'));
    stream.once('open', () => stream.pipe(response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
