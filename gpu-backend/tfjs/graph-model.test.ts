import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGraphModel } from './graph-model.ts';

describe('readGraphModel', () => {
  async function withModel(
    json: object,
    shard: Buffer,
    body: (path: string) => Promise<void>,
  ): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'modalfuse-tfjs-'));
    try {
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      await writeFile(join(dir, 'w.bin'), shard);
      await body(join(dir, 'model.json'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const topology = { node: [{ name: 'c', op: 'Const' }] };

  it('refuses quantized weights, naming them', async () => {
    const weights = [
      { name: 'c', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: 0 } },
    ];
    const json = { modelTopology: topology, weightsManifest: [{ paths: ['w.bin'], weights }] };
    await withModel(json, Buffer.alloc(2), (path) =>
      expect(readGraphModel(path)).rejects.toThrow('weight "c"'),
    );
  });

  it('refuses shards whose size does not match the specs', async () => {
    const weights = [{ name: 'c', shape: [2], dtype: 'float32' }];
    const json = { modelTopology: topology, weightsManifest: [{ paths: ['w.bin'], weights }] };
    await withModel(json, Buffer.alloc(12), (path) =>
      expect(readGraphModel(path)).rejects.toThrow('hold 12 bytes'),
    );
  });

  it('refuses a file that is not a graph model', async () => {
    await withModel({ format: 'layers-model' }, Buffer.alloc(0), (path) =>
      expect(readGraphModel(path)).rejects.toThrow('is not a TF.js graph model'),
    );
  });
});
