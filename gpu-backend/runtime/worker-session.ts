/**
 * @module
 * A session instance in its own worker thread, behind the same face as {@link OnnxSession}. onnxruntime-node's
 * `run` holds the calling thread for the whole run (its promise only defers the synchronous call), so on the
 * main thread the server could neither read requests nor form the next batch while a batch ran. Here the main
 * thread only posts feeds (moved when the batch was collated for this run, else copied: a request's own
 * tensors may be views into shared memory) and receives outputs (moved). A thread that dies fails the runs it held; the next run starts a new one.
 */
import { Worker } from 'node:worker_threads';
import type { InferenceSession } from 'onnxruntime-node';
import type { RunOptions, SessionInstance, TensorSpec } from './session.ts';
import { buffersOf, type TensorMap } from './tensor.ts';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './worker-protocol.ts';
import { sessionWorkerScript } from './layout.ts';

/** A run lost because its worker thread died (not the client's fault: never reported as a bad request). */
export class WorkerCrashError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WorkerCrashError';
  }
}

export interface WorkerSessionOptions {
  /** The worker's entry (tests swap in one that misbehaves); `session-worker.ts` (or its build) by default. */
  readonly script?: URL;
}

const DEFAULT_SCRIPT = sessionWorkerScript;

function spawn(script: URL, setup: WorkerSetup): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script, { workerData: setup });
  // Not only for Node 20: where no tsx loader is inherited (under vitest), Node 24 strips types itself but refuses
  // what is more than annotations ("parameter property is not supported in strip-only mode"): register tsx first.
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(code, { eval: true, workerData: setup });
}

interface Started {
  readonly worker: Worker;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
}

/** Starts a worker and waits for its session: rejects with the reason it could not open. */
function start(script: URL, setup: WorkerSetup): Promise<Started> {
  const worker = spawn(script, setup);
  return new Promise((resolve, reject) => {
    const done = () => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    const onMessage = (reply: WorkerReply) => {
      done();
      if (reply.kind === 'ready') return resolve({ worker, inputs: reply.inputs, outputs: reply.outputs });
      void worker.terminate();
      reject(new Error(reply.kind === 'failed' ? reply.message : `unexpected "${reply.kind}" at start`));
    };
    const onError = (error: Error) => {
      done();
      reject(new WorkerCrashError(`the session worker failed to start: ${error.message}`, { cause: error }));
    };
    const onExit = (code: number) => {
      done();
      reject(new WorkerCrashError(`the session worker exited (code ${code}) before its session opened`));
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

interface Pending {
  readonly resolve: (outputs: TensorMap) => void;
  readonly reject: (error: Error) => void;
  readonly timing?: RunOptions['timing'];
}

export class WorkerSession implements SessionInstance {
  private worker: Worker | undefined;
  private starting: Promise<Worker> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private released = false;
  /** Why the last thread died (an uncaught error arrives before its exit). */
  private lastError: Error | undefined;

  private constructor(
    private readonly setup: WorkerSetup,
    private readonly script: URL,
    first: Started,
  ) {
    this.inputs = first.inputs;
    this.outputs = first.outputs;
    this.adopt(first.worker);
  }

  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];

  static async create(
    model: string | Uint8Array,
    options: InferenceSession.SessionOptions,
    { script = DEFAULT_SCRIPT }: WorkerSessionOptions = {},
  ): Promise<WorkerSession> {
    const setup = { model, options };
    return new WorkerSession(setup, script, await start(script, setup));
  }

  async run(feeds: TensorMap, outputs?: readonly string[], options: RunOptions = {}): Promise<TensorMap> {
    if (this.released) throw new WorkerCrashError('the session was released');
    const worker = this.worker ?? (await this.restart());
    const id = this.nextId++;
    const request: WorkerRequest = { id, feeds, outputs };
    return new Promise<TensorMap>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, timing: options.timing });
      // Referenced only while it owes an answer, so an idle session never keeps the process alive.
      worker.ref();
      worker.postMessage(request, options.transfer ? buffersOf(feeds) : []);
    });
  }

  async release(): Promise<void> {
    this.released = true;
    const worker = this.worker ?? (await this.starting?.catch(() => undefined));
    await worker?.terminate();
  }

  /** A new thread after the last one died; concurrent runs wait for the same one. */
  private restart(): Promise<Worker> {
    this.starting ??= start(this.script, this.setup).then(
      (started) => {
        this.starting = undefined;
        this.adopt(started.worker);
        return started.worker;
      },
      (error: unknown) => {
        this.starting = undefined;
        throw error;
      },
    );
    return this.starting;
  }

  private adopt(worker: Worker): void {
    this.worker = worker;
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.settle(worker, reply));
    worker.on('error', (error) => (this.lastError = error));
    worker.on('exit', (code) => this.died(worker, code));
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    if (reply.kind !== 'result' && reply.kind !== 'error') return;
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (this.pending.size === 0) worker.unref();
    if (reply.kind === 'error') return pending?.reject(new Error(reply.message));
    if (pending?.timing) pending.timing.computeUs = reply.computeUs;
    pending?.resolve(reply.outputs);
  }

  private died(worker: Worker, code: number): void {
    if (this.worker === worker) this.worker = undefined;
    const reason = this.lastError ? `: ${this.lastError.message}` : '';
    this.lastError = undefined;
    const error = this.released
      ? new WorkerCrashError('the session was released')
      : new WorkerCrashError(`the session worker stopped (exit code ${code})${reason}`);
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
