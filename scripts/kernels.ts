/**
 * @module
 * `npm run kernels`: compiles the Worker's WebAssembly kernels from their `.wat` source (`lib/kernels.ts`).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compileKernels } from './lib/kernels.ts';

for (const { wasmPath, bytes } of await compileKernels()) {
  await writeFile(wasmPath, bytes);
  console.log(`${path.relative(process.cwd(), wasmPath)}: ${bytes.length} bytes`);
}
