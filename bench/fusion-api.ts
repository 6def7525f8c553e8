/**
 * @module
 * The Worker's task API as `bench:fusion`'s cases call it: JSON posts, teaching in batches, evaluation of the
 * held-out items, and the rows an evaluation answers with.
 */
import type { WorkerStack } from './worker-stack.ts';

/** Examples per request (the route takes up to 64; a picture or a video makes each 80–200 KB of JSON). */
const batch = 16;

export interface Example {
  readonly label: string;
  readonly inputs: Readonly<Record<string, string>>;
}

/** One row of `POST /v1/tasks/{id}/evaluate`: a modality alone or a fusion strategy. */
export interface Row {
  readonly name: string;
  readonly accuracy: number | null;
  readonly macroF1: number | null;
  readonly logLoss: number | null;
  readonly n: number;
}

export interface EvaluationRows {
  readonly modalities: Row[];
  readonly strategies: Row[];
  readonly recommended: string;
}

export async function post<T>(worker: WorkerStack, path: string, body?: unknown): Promise<T> {
  const response = await worker.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Teaches task `id` its examples, `batch` per request. */
export async function teachAll(worker: WorkerStack, id: string, examples: readonly Example[]): Promise<void> {
  for (let start = 0; start < examples.length; start += batch) {
    await post(worker, `/v1/tasks/${id}/examples`, { examples: examples.slice(start, start + batch) });
  }
}

export function evaluateAll<T extends EvaluationRows>(
  worker: WorkerStack,
  id: string,
  examples: readonly Example[],
): Promise<T> {
  return post<T>(worker, `/v1/tasks/${id}/evaluate`, { examples });
}

export const f3 = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(3));
