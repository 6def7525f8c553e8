/**
 * @module
 * Batching jobs: one backend call per model with every input for it, results back in job order — embeddings, or a
 * classification endpoint's labels. A call that fails for a reason of ours (a {@link BackendError}) marks its jobs
 * with that error so callers can decide (skip a modality, or fail); anything else, such as the backend refusing a
 * client's input, rejects.
 */
import type { CanonicalInput } from '../../adapters/types.ts';
import { BackendError } from '../backend/errors.ts';
import type { BackendClient, ProviderLabel } from '../backend/types.ts';

export interface EmbedJob {
  readonly model: string;
  readonly input: CanonicalInput;
}

export type EmbedResult = Float32Array | BackendError;

export type LabelResult = ProviderLabel[] | BackendError;

async function runJobs<T>(
  jobs: readonly EmbedJob[],
  call: (model: string, inputs: CanonicalInput[]) => Promise<T[]>,
): Promise<(T | BackendError)[]> {
  const byModel = new Map<string, number[]>();
  jobs.forEach((job, index) => byModel.set(job.model, [...(byModel.get(job.model) ?? []), index]));
  const results = new Array<T | BackendError>(jobs.length);
  await Promise.all(
    [...byModel].map(async ([model, indices]) => {
      try {
        const answers = await call(
          model,
          indices.map((index) => (jobs[index] as EmbedJob).input),
        );
        indices.forEach((index, i) => (results[index] = answers[i] as T));
      } catch (error) {
        if (!(error instanceof BackendError)) throw error;
        for (const index of indices) results[index] = error;
      }
    }),
  );
  return results;
}

export function embedJobs(backend: BackendClient, jobs: readonly EmbedJob[]): Promise<EmbedResult[]> {
  return runJobs(jobs, (model, inputs) => backend.embed(model, inputs));
}

/** The provider's labels for each job, from the model's classification endpoint. */
export function labelJobs(backend: BackendClient, jobs: readonly EmbedJob[]): Promise<LabelResult[]> {
  return runJobs(jobs, (model, inputs) => {
    if (backend.classify === undefined)
      throw new BackendError('unknown-model', `no classification endpoint serves the model ${model}`);
    return backend.classify(model, inputs);
  });
}
