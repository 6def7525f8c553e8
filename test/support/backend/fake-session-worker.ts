/**
 * @module
 * Test support: a session worker that speaks the protocol of `session-worker.ts` without onnxruntime and
 * misbehaves on demand. `workerData.model` picks how it starts: `"refuse"` answers `failed`, `"exit"` exits
 * before answering, anything else is ready. A run echoes `x` as `y`, except that `x[0]` = -1 throws an uncaught
 * error in the thread and `x[0]` = -2 exits the thread with code 3. Every run reports a compute time of 1234 µs, which tests can tell from any time they measure.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type {
  WorkerReply,
  WorkerRequest,
  WorkerSetup,
} from '../../../gpu-backend/runtime/worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('fake-session-worker.ts runs as a worker thread');
const reply = (answer: WorkerReply) => port.postMessage(answer);
const { model } = workerData as WorkerSetup;

if (model === 'refuse') reply({ kind: 'failed', message: 'the fake session refuses to open' });
else if (model === 'exit') process.exit(2);
else {
  port.on('message', ({ id, feeds }: WorkerRequest) => {
    const x = feeds.x;
    const first = (x?.data as Float32Array | undefined)?.[0];
    if (first === -1) throw new Error('the fake worker crashed');
    if (first === -2) process.exit(3);
    if (!x) return reply({ kind: 'error', id, message: "input 'x' is missing in 'feeds'" });
    reply({ kind: 'result', id, outputs: { y: x }, computeUs: 1234 });
  });
  const spec = { type: 'float32', shape: ['N', 4] } as const;
  reply({ kind: 'ready', inputs: [{ name: 'x', ...spec }], outputs: [{ name: 'y', ...spec }] });
}
