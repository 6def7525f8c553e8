/**
 * @module
 * Batching embed jobs: one backend call per model with every input for it, results back in job order. A call that
 * fails for a reason of ours (a {@link BackendError}) marks its jobs with that error so callers can decide (skip
 * a modality, or fail); anything else, such as the backend refusing a client's input, rejects.
 */
import type { CanonicalInput } from '../../adapters/types.ts';
import { BackendError } from './errors.ts';
import type { BackendClient } from './types.ts';

export interface EmbedJob {
  readonly model: string;
  readonly input: CanonicalInput;
}

export type EmbedResult = Float32Array | BackendError;

export async function embedJobs(backend: BackendClient, jobs: readonly EmbedJob[]): Promise<EmbedResult[]> {
  const byModel = new Map<string, number[]>();
  jobs.forEach((job, index) => byModel.set(job.model, [...(byModel.get(job.model) ?? []), index]));
  const results: EmbedResult[] = new Array<EmbedResult>(jobs.length);
  await Promise.all(
    [...byModel].map(async ([model, indices]) => {
      try {
        const vectors = await backend.embed(
          model,
          indices.map((index) => (jobs[index] as EmbedJob).input),
        );
        indices.forEach((index, i) => (results[index] = vectors[i] as Float32Array));
      } catch (error) {
        if (!(error instanceof BackendError)) throw error;
        for (const index of indices) results[index] = error;
      }
    }),
  );
  return results;
}
