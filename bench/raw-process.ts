/**
 * @module
 * One of the two processes of the benchmark's (a2) row: a single-threaded onnxruntime session (as the server's
 * instances are configured) running batches of the benchmark's inputs back to back. Run as
 * `tsx bench/raw-process.ts <bert|use-lite|mobilenet> <model.onnx> <batch> <windowMs>`: it loads and warms up, prints
 * `ready`, waits for a line on stdin (so both processes' windows coincide), then prints its result as JSON.
 */
import { once } from 'node:events';
import { dirname } from 'node:path';
import * as ort from 'onnxruntime-node';
import { rawRow, type RawKind } from './backend-rows.ts';
import { benchImages, benchSentences, useLiteSentences } from './backend-setup.ts';

const [kind, model, batch, windowMs] = process.argv.slice(2);
const kinds: readonly string[] = ['bert', 'use-lite', 'mobilenet'] satisfies RawKind[];
if (!kind || !kinds.includes(kind) || !model || !batch || !windowMs) {
  throw new Error('usage: raw-process.ts <bert|use-lite|mobilenet> <model.onnx> <batch> <windowMs>');
}
ort.env.logLevel = 'error';
const session = await ort.InferenceSession.create(model, {
  intraOpNumThreads: 1,
  extra: { session: { intra_op: { allow_spinning: '0' } } },
});
// USE-lite's sentences tokenised by its own vocabulary, beside model.onnx's folder (`<model>/1/model.onnx`).
const inputs: readonly unknown[] =
  kind === 'mobilenet'
    ? benchImages()
    : kind === 'use-lite'
      ? await useLiteSentences(benchSentences(400), dirname(dirname(model)))
      : benchSentences(400);
const run = (window: number) => rawRow(session, kind as RawKind, inputs, Number(batch), window);
await run(300);
process.stdout.write('ready\n');
process.stdin.resume();
await once(process.stdin, 'data');
process.stdout.write(`${JSON.stringify(await run(Number(windowMs)))}\n`);
await session.release();
process.exit(0);
