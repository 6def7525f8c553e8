/**
 * @module
 * The scoring stage: the one path from a request's inputs to what their models answer, shared by classify, teach,
 * evaluate, a task's head preparation, and both embeddings routes. Every input goes through its adapter (all in
 * parallel), then one backend call per model and answer kind carries every input for it, and each answer goes
 * back to its input. Stages are timed (`normalize`, `backend`) for `Server-Timing`.
 *
 * Each input settles on its own: its model's answer; `unavailable` when the backend failed (ours: classify reports
 * the modality missing, the rest fail); or refused, when its adapter or its model could not use it (the client's).
 * Every caller is strict today: the first refused input, in request order, fails the request, and one refused at
 * the edge stops it before any backend call ({@link rejectRefused}, called twice in {@link askModels}).
 */
import type { CanonicalInput } from '../../adapters/types.ts';
import { BackendError, BackendInputError } from '../backend/errors.ts';
import type { AnswerKind, Backend, ProviderLabel } from '../backend/types.ts';
import { normalizeOne, type InputRequest } from '../inputs/normalize.ts';
import type { Services } from '../services.ts';

/** One input of a request and what its model is asked for. */
export interface StageInput extends InputRequest {
  /** Absent: the input is only checked by its adapter (nothing can use its answer yet). */
  readonly ask?: { readonly model: string; readonly kind: AnswerKind };
}

/** What became of one input. */
export type InputAnswer =
  | { readonly kind: 'embedding'; readonly embedding: Float32Array }
  | { readonly kind: 'labels'; readonly labels: readonly ProviderLabel[] }
  | { readonly kind: 'checked' }
  | { readonly kind: 'unavailable'; readonly error: BackendError };

/** An input its adapter or its model refused, with the error that says why (its problem, via `toApiError`). */
export interface Refused {
  readonly kind: 'refused';
  readonly error: unknown;
}

export type StageServices = Pick<Services, 'modalities' | 'backend' | 'time'>;

interface Normalized {
  readonly kind: 'normalized';
  readonly input: CanonicalInput;
}

async function normalizeEach(
  services: StageServices,
  inputs: readonly StageInput[],
): Promise<(Normalized | Refused)[]> {
  const settled = await Promise.allSettled(inputs.map((input) => normalizeOne(services.modalities, input)));
  return settled.map((result) =>
    result.status === 'fulfilled'
      ? { kind: 'normalized', input: result.value }
      : { kind: 'refused', error: result.reason as unknown },
  );
}

/** Strict: the first refused input fails the request with its error. */
export function rejectRefused<T extends { readonly kind: string }>(outcomes: readonly (T | Refused)[]): T[] {
  const refused = outcomes.find((outcome): outcome is Refused => outcome.kind === 'refused');
  if (refused !== undefined) throw refused.error;
  return outcomes as T[];
}

/** The indices of the inputs asked of each model, by answer kind and model (refused inputs are asked nothing). */
function groups(
  inputs: readonly StageInput[],
  normalized: readonly (Normalized | Refused)[],
): Map<string, number[]> {
  const byCall = new Map<string, number[]>();
  inputs.forEach((input, index) => {
    if (input.ask === undefined || normalized[index]?.kind !== 'normalized') return;
    const key = JSON.stringify([input.ask.kind, input.ask.model]);
    byCall.set(key, [...(byCall.get(key) ?? []), index]);
  });
  return byCall;
}

async function call(backend: Backend, kind: AnswerKind, model: string, inputs: CanonicalInput[]) {
  if (kind === 'embedding') {
    const vectors = await backend.embed(model, inputs);
    return vectors.map((embedding): InputAnswer => ({ kind, embedding }));
  }
  const answers = await backend.classify(model, inputs);
  return answers.map((labels): InputAnswer => ({ kind, labels }));
}

/** One backend call per model and kind; a failure of ours marks its inputs unavailable, a refusal refused. */
async function answerEach(
  backend: Backend,
  inputs: readonly StageInput[],
  normalized: readonly (Normalized | Refused)[],
): Promise<(InputAnswer | Refused)[]> {
  const answers = normalized.map((entry): InputAnswer | Refused =>
    entry.kind === 'refused' ? entry : { kind: 'checked' },
  );
  await Promise.all(
    [...groups(inputs, normalized)].map(async ([key, indices]) => {
      const [kind, model] = JSON.parse(key) as [AnswerKind, string];
      const asked = indices.map((index) => (normalized[index] as Normalized).input);
      try {
        const results = await call(backend, kind, model, asked);
        indices.forEach((index, i) => (answers[index] = results[i] as InputAnswer));
      } catch (error) {
        if (!(error instanceof BackendError) && !(error instanceof BackendInputError)) throw error;
        const failed: InputAnswer | Refused =
          error instanceof BackendError ? { kind: 'unavailable', error } : { kind: 'refused', error };
        for (const index of indices) answers[index] = failed;
      }
    }),
  );
  return answers;
}

/** Each input's answer, in order (see the module's notes). */
export async function askModels(
  inputs: readonly StageInput[],
  services: StageServices,
): Promise<InputAnswer[]> {
  const normalized = rejectRefused(await services.time('normalize', () => normalizeEach(services, inputs)));
  return rejectRefused(
    await services.time('backend', () => answerEach(services.backend, inputs, normalized)),
  );
}

export type Answered = Exclude<InputAnswer, { kind: 'unavailable' }>;

/** Strict on the backend too (teaching, evaluation, preparation): the answers, else the first failure. */
export function answeredAll(answers: readonly InputAnswer[]): Answered[] {
  const failed = answers.find((answer) => answer.kind === 'unavailable');
  if (failed !== undefined) throw failed.error;
  return answers as Answered[];
}

/** {@link answeredAll} for inputs that were all asked for embeddings. */
export function embeddingsOf(answers: readonly InputAnswer[]): Float32Array[] {
  return answeredAll(answers).map((answer) => {
    if (answer.kind !== 'embedding') throw new Error(`an embedding was asked for, not ${answer.kind}`);
    return answer.embedding;
  });
}
