/**
 * @module
 * The body of a session worker thread: opens one {@link OnnxSession} from `workerData`, says `ready` (with the
 * model's specs) or `failed`, then runs each `run` message in turn and answers with the outputs, their
 * buffers transferred rather than copied. onnxruntime-node's `run` is synchronous under its promise, so it
 * would stall the main thread's event loop for the whole run; here it stalls only this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './worker-protocol.ts';
import { OnnxSession, type RunTiming } from './session.ts';
import { buffersOf } from './tensor.ts';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function serve(port: NonNullable<typeof parentPort>, setup: WorkerSetup): Promise<void> {
  const reply = (answer: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(answer, transfer);
  let session: OnnxSession;
  try {
    session = await OnnxSession.create(setup.model, setup.options);
  } catch (error) {
    return reply({ kind: 'failed', message: message(error) });
  }
  const runOne = async (request: WorkerRequest) => {
    const timing: RunTiming = {};
    try {
      const outputs = await session.run(request.feeds, request.outputs, { timing });
      reply(
        { kind: 'result', id: request.id, outputs, computeUs: timing.computeUs ?? 0 },
        buffersOf(outputs),
      );
    } catch (error) {
      reply({ kind: 'error', id: request.id, message: message(error) });
    }
  };
  // One run at a time: the thread runs them in turn anyway, and a run started beside another would count the
  // other's compute as its own.
  let previous = Promise.resolve();
  port.on('message', (request: WorkerRequest) => {
    previous = previous.then(() => runOne(request));
  });
  reply({ kind: 'ready', inputs: session.inputs, outputs: session.outputs });
}

if (!parentPort) throw new Error('session-worker.ts runs as a worker thread (see worker-session.ts)');
void serve(parentPort, workerData as WorkerSetup);
