/**
 * @module
 * `npm run build:backend [OUTDIR]`: see `lib/build-backend.ts`; prints what it wrote.
 */
import { buildBackend, DEFAULT_OUTDIR } from './lib/build-backend.ts';

const outdir = process.argv[2] ?? DEFAULT_OUTDIR;
const metafile = await buildBackend(outdir);
const files = Object.keys(metafile.outputs).filter((file) => file.endsWith('.js'));
const bytes = files.reduce((sum, file) => sum + (metafile.outputs[file]?.bytes ?? 0), 0);
console.log(`built ${files.length} files (${(bytes / 1024).toFixed(0)} KiB) into ${outdir}`);
