/**
 * @module
 * Helpers for the model builder's tests (gpu-backend/model-builder/): where the real source files are, temporary folders, a file server on 127.0.0.1
 * standing in for the download mirrors (also one that misbehaves), and one-shot onnxruntime runs that release their
 * session.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import * as ort from 'onnxruntime-node';
import { modelPlaces, type ModelPlaces } from '../../../gpu-backend/model-builder/locate.ts';
import { SOURCE_FILES, SOURCES } from '../../../gpu-backend/model-builder/sources.ts';

/** The first model place (locate.ts) that holds every pretrained source file; else the first place. */
function findModelsDir(): string {
  const files = SOURCE_FILES.filter((file) => SOURCES[file].from.kind === 'models-dir');
  const { search } = modelPlaces();
  const full = search.find((place) => files.every((file) => existsSync(join(place.dir, file))));
  return (full ?? search[0])?.dir ?? '';
}

export const modelsDir = findModelsDir();

/** Places that look in `dir` alone (as MODALFUSE_MODELS_DIR) and download into it. */
export function onlyIn(dir: string): ModelPlaces {
  return { search: [{ name: 'MODALFUSE_MODELS_DIR', dir }], configured: dir, cache: join(dir, 'cache') };
}

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

type Misbehaviour = 'corrupt' | 'drop' | 'silent' | 'stall';
const misbehaviours: readonly string[] = ['corrupt', 'drop', 'silent', 'stall'] satisfies Misbehaviour[];

function answer(response: ServerResponse, bytes: Buffer, mode: Misbehaviour | 'good'): void {
  if (mode === 'silent') return;
  response.writeHead(200, { 'content-length': bytes.length, 'content-type': 'application/octet-stream' });
  if (mode === 'good') return void response.end(bytes);
  if (mode === 'corrupt')
    return void response.end(Buffer.from(bytes.map((byte, i) => (i === 0 ? byte ^ 1 : byte))));
  response.write(bytes.subarray(0, bytes.length >> 1), () => {
    if (mode === 'drop') response.socket?.destroy();
  });
}

/**
 * A stand-in for the download mirrors on a free loopback port: the files under `root` at `/<file>`, and the same
 * misbehaving under a prefix: `/corrupt/<file>` (one byte changed), `/drop/<file>` (the connection cut after half
 * the bytes), `/silent/<file>` (never answers), `/stall/<file>` (half the bytes, then nothing); else 404.
 */
export async function serveMirror(root: string): Promise<FileServer> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const [, first = '', ...rest] = path.split('/');
    const mode = misbehaviours.includes(first) ? (first as Misbehaviour) : 'good';
    readFile(join(root, mode === 'good' ? path : rest.join('/'))).then(
      (bytes) => answer(response, bytes, mode),
      () => response.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
