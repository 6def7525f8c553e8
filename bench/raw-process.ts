/**
 * @module
 * One of the two processes of the benchmark's (a2) row: a single-threaded onnxruntime session (as the server's
 * instances are configured) running batches of the benchmark's inputs back to back. Run as
 * `tsx bench/raw-process.ts <bert|mobilenet> <model.onnx> <batch> <windowMs>`: it loads and warms up, prints
 * `ready`, waits for a line on stdin (so both processes' windows coincide), then prints its result as JSON.
 */
import { once } from 'node:events';
import * as ort from 'onnxruntime-node';
import { rawRow } from './backend-rows.ts';
import { benchImages, benchSentences } from './backend-setup.ts';

const [kind, model, batch, windowMs] = process.argv.slice(2);
if ((kind !== 'bert' && kind !== 'mobilenet') || !model || !batch || !windowMs) {
  throw new Error('usage: raw-process.ts <bert|mobilenet> <model.onnx> <batch> <windowMs>');
}
ort.env.logLevel = 'error';
const session = await ort.InferenceSession.create(model, {
  intraOpNumThreads: 1,
  extra: { session: { intra_op: { allow_spinning: '0' } } },
});
const run = (window: number) =>
  kind === 'bert'
    ? rawRow(session, 'text', benchSentences(400), Number(batch), window)
    : rawRow(session, 'image', benchImages(), Number(batch), window);
await run(300);
process.stdout.write('ready\n');
process.stdin.resume();
await once(process.stdin, 'data');
process.stdout.write(`${JSON.stringify(await run(Number(windowMs)))}\n`);
await session.release();
process.exit(0);
