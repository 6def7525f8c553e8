import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileKernels } from './lib/kernels.ts';

describe('the WebAssembly kernels', () => {
  it('are committed as their .wat source compiles (run npm run kernels after editing one)', async () => {
    const kernels = await compileKernels();
    expect(kernels.length).toBeGreaterThan(0);
    for (const { wasmPath, bytes } of kernels) {
      const committed = new Uint8Array(await readFile(wasmPath));
      expect(Buffer.from(committed).equals(Buffer.from(bytes)), wasmPath).toBe(true);
    }
  });
});
