/**
 * @module
 * The Worker's WebAssembly kernels, compiled from their text format (`src/heads/kernel/*.wat`) with wabt. The
 * `.wasm` files are committed beside their source, since the Worker imports them as they are;
 * `kernels.test.ts` fails when one no longer matches its source.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

export const kernelDir = fileURLToPath(new URL('../../src/heads/kernel/', import.meta.url));

export interface CompiledKernel {
  /** Where its `.wasm` belongs. */
  readonly wasmPath: string;
  readonly bytes: Uint8Array;
}

export async function compileKernels(): Promise<CompiledKernel[]> {
  const wabt = await wabtInit();
  const sources = (await readdir(kernelDir)).filter((name) => name.endsWith('.wat')).sort();
  return Promise.all(
    sources.map(async (name) => {
      const watPath = path.join(kernelDir, name);
      const parsed = wabt.parseWat(name, await readFile(watPath, 'utf8'), { simd: true });
      try {
        parsed.validate();
        return { wasmPath: watPath.replace(/\.wat$/, '.wasm'), bytes: parsed.toBinary({}).buffer };
      } finally {
        parsed.destroy();
      }
    }),
  );
}
