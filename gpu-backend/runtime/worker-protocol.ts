/**
 * @module
 * The messages between a {@link WorkerSession} (main thread) and its session worker thread.
 */
import type { InferenceSession } from 'onnxruntime-node';
import type { TensorSpec } from './session.ts';
import type { TensorMap } from './tensor.ts';

/** What the worker is started with (`workerData`): the model (path or bytes) and its session options. */
export interface WorkerSetup {
  readonly model: string | Uint8Array;
  readonly options: InferenceSession.SessionOptions;
}

/** One run, answered by a reply with the same `id`. */
export interface WorkerRequest {
  readonly id: number;
  readonly feeds: TensorMap;
  readonly outputs?: readonly string[] | undefined;
}

export type WorkerReply =
  /** The session opened; these are the model's specs. */
  | {
      readonly kind: 'ready';
      readonly inputs: readonly TensorSpec[];
      readonly outputs: readonly TensorSpec[];
    }
  /** The session could not open (e.g. CUDA cannot start); the worker does nothing more. */
  | { readonly kind: 'failed'; readonly message: string }
  /** `computeUs`: the run itself, measured in the worker (a run posted while another ran waited for it). */
  | { readonly kind: 'result'; readonly id: number; readonly outputs: TensorMap; readonly computeUs: number }
  /** The run failed (e.g. onnxruntime refused the inputs); the session still serves. */
  | { readonly kind: 'error'; readonly id: number; readonly message: string };
