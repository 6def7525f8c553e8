/**
 * @module
 * The scoring stage: the one path from a request's inputs to what their models answer, shared by classify, teach,
 * evaluate, a task's head preparation, and both embeddings routes. Every input goes through its adapter (all in
 * parallel), then one backend call per model and answer kind carries every input for it, and each answer goes
 * back to its input. Stages are timed (`normalize`, `backend`) for `Server-Timing`.
 *
 * Each input settles on its own ({@link answerInputs}): its model's answer; `unavailable` when the backend failed
 * (ours); or refused, when its adapter or its model could not use it (the client's; `refused.ts`). A call the model
 * refuses is split until each refusal is pinned to its input, so that the other inputs of the call still get
 * their answers: the inputs the backend's refusal names (this repo's backend names each) are refused and the rest
 * asked again; a refusal naming none (Triton, a provider) is asked again in halves. Classify takes the outcomes as
 * they are; every other caller is strict ({@link askModels}): refused inputs fail the request, every one named.
 *
 * Derived parts (`image.text`) read their input's value: an input read by several modalities is normalised once
 * for them all. A part its model finds not there (an image with no text: the adapter's `absent`) is `absent`, not
 * refused, even when strict: classify reports it missing with its reason, teaching and evaluation skip it.
 */
import type { CanonicalInput } from '../../adapters/types.ts';
import { BackendError, BackendInputError } from '../backend/errors.ts';
import { extrasOf, type Extras } from '../backend/extras.ts';
import { partAbsentReasons } from '../classify/schema.ts';
import type { AnswerKind, Backend, ProviderLabel } from '../backend/types.ts';
import { normalizeOne, type InputRequest } from '../inputs/normalize.ts';
import type { Services } from '../services.ts';
import type { ApiError } from '../problem.ts';
import { refusalOf, refusedBy, type Refused } from './refused.ts';

/** One input of a request and what its model is asked for. */
export interface StageInput extends InputRequest {
  /** Absent: the input is only checked by its adapter (nothing can use its answer yet). */
  readonly ask?: { readonly model: string; readonly kind: AnswerKind };
}

/** What became of one input that was not refused. */
export type InputAnswer =
  | { readonly kind: 'embedding'; readonly embedding: Float32Array; readonly extras?: Extras }
  | { readonly kind: 'labels'; readonly labels: readonly ProviderLabel[] }
  | { readonly kind: 'checked' }
  | { readonly kind: 'unavailable'; readonly error: BackendError }
  | Absent;

/** A derived part that is not there, with why (`no-text`) and the refusal that said so. */
export interface Absent {
  readonly kind: 'absent';
  readonly reason: (typeof partAbsentReasons)[number] | 'absent';
  readonly problem: ApiError;
}

export type InputOutcome = InputAnswer | Refused;

export type StageServices = Pick<Services, 'modalities' | 'backend' | 'time'>;

interface Normalized {
  readonly kind: 'normalized';
  readonly input: CanonicalInput;
}

/** Each input through its adapter; an input read by several modalities (an input and its parts) runs it once. */
async function normalizeEach(
  services: StageServices,
  inputs: readonly StageInput[],
): Promise<(Normalized | Refused)[]> {
  const { modalities } = services;
  const runs = new Map<string, { value: StageInput['value']; run: Promise<Normalized | Refused> }>();
  const once = (input: StageInput) => {
    const adapter = modalities.has(input.modality) ? modalities.inputOf(input.modality) : input.modality;
    const key = JSON.stringify([adapter, input.at]);
    const known = runs.get(key);
    if (known !== undefined && known.value === input.value) return known.run;
    const run = normalizeOne(modalities, input).then(
      (normalized): Normalized => ({ kind: 'normalized', input: normalized }),
      (error: unknown) => refusedBy(error),
    );
    runs.set(key, { value: input.value, run });
    return run;
  };
  return Promise.all(inputs.map(once));
}

/** One input asked of a model, and where it sits in the request. */
interface Asked {
  readonly input: CanonicalInput;
  readonly at: string;
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

async function call(backend: Backend, kind: AnswerKind, model: string, asked: readonly Asked[]) {
  const inputs = asked.map((entry) => entry.input);
  if (kind === 'embedding') {
    const vectors = await backend.embed(model, inputs);
    return vectors.map((embedding): InputAnswer => {
      const extras = extrasOf(embedding);
      return { kind, embedding, ...(extras ? { extras } : {}) };
    });
  }
  const answers = await backend.classify(model, inputs);
  return answers.map((labels): InputAnswer => ({ kind, labels }));
}

/** One call's outcomes: a failure of ours marks every input unavailable; a refusal is split (module notes). */
async function ask(
  backend: Backend,
  kind: AnswerKind,
  model: string,
  asked: readonly Asked[],
): Promise<InputOutcome[]> {
  try {
    return await call(backend, kind, model, asked);
  } catch (error) {
    if (error instanceof BackendError) return asked.map(() => ({ kind: 'unavailable', error }));
    if (!(error instanceof BackendInputError)) throw error;
    const [only] = asked;
    if (only !== undefined && asked.length === 1) return [refusedBy(error, only.at)];
    return split(error, asked, (part) => ask(backend, kind, model, part));
  }
}

/** A refused call of several inputs: the inputs it names refused, the others asked again; else both halves. */
async function split(
  error: BackendInputError,
  asked: readonly Asked[],
  again: (part: readonly Asked[]) => Promise<InputOutcome[]>,
): Promise<InputOutcome[]> {
  const named = new Map((error.items ?? []).map((item) => [item.index, item]));
  const inCall = (i: number) => Number.isInteger(i) && i >= 0 && i < asked.length;
  if (named.size === 0 || ![...named.keys()].every(inCall)) {
    const half = Math.ceil(asked.length / 2);
    return (await Promise.all([again(asked.slice(0, half)), again(asked.slice(half))])).flat();
  }
  const rest = asked.filter((_, i) => !named.has(i));
  const others = rest.length > 0 ? await again(rest) : [];
  let next = 0;
  return asked.map((entry, i) => {
    const item = named.get(i);
    if (item === undefined) return others[next++] as InputOutcome;
    return refusedBy(
      new BackendInputError(error.model, item.message, item.code, undefined, item.reason),
      entry.at,
    );
  });
}

/** One backend call per model and kind, all in parallel; refused inputs keep their refusal (asked nothing). */
async function answerEach(
  backend: Backend,
  inputs: readonly StageInput[],
  normalized: readonly (Normalized | Refused)[],
): Promise<InputOutcome[]> {
  const outcomes = normalized.map((entry): InputOutcome =>
    entry.kind === 'refused' ? entry : { kind: 'checked' },
  );
  await Promise.all(
    [...groups(inputs, normalized)].map(async ([key, indices]) => {
      const [kind, model] = JSON.parse(key) as [AnswerKind, string];
      const asked = indices.map((index) => ({
        input: (normalized[index] as Normalized).input,
        at: inputs[index]?.at ?? '',
      }));
      const results = await ask(backend, kind, model, asked);
      indices.forEach((index, i) => (outcomes[index] = results[i] as InputOutcome));
    }),
  );
  return outcomes;
}

/** Each input's outcome, in order, none of them thrown (see the module's notes). */
export async function answerInputs(
  inputs: readonly StageInput[],
  services: StageServices,
): Promise<InputOutcome[]> {
  const normalized = await services.time('normalize', () => normalizeEach(services, inputs));
  const outcomes = await services.time('backend', () => answerEach(services.backend, inputs, normalized));
  return outcomes.map(absentIfSo);
}

/** A refusal that says a derived part is not there (its adapter's `absent`, at the edge or on the backend). */
function absentIfSo(outcome: InputOutcome): InputOutcome {
  if (outcome.kind !== 'refused') return outcome;
  const { code, options } = outcome.problem;
  if (code !== 'absent' && options.extensions?.adapterCode !== 'absent') return outcome;
  const given = options.extensions?.reason;
  const reason = partAbsentReasons.find((known) => known === given) ?? 'absent';
  return { kind: 'absent', reason, problem: outcome.problem };
}

/** Strict: refused inputs fail the request, every one named ({@link refusalOf}). */
function rejectRefused(outcomes: readonly InputOutcome[]): InputAnswer[] {
  const refused = outcomes.flatMap((outcome) => (outcome.kind === 'refused' ? [outcome.problem] : []));
  if (refused.length > 0) throw refusalOf(refused);
  return outcomes as InputAnswer[];
}

/**
 * Each input's answer, strictly: the inputs the edge accepts are still asked of their models, so that a request
 * with several bad inputs is refused once, naming them all (the embeddings asked meanwhile are cached).
 */
export async function askModels(
  inputs: readonly StageInput[],
  services: StageServices,
): Promise<InputAnswer[]> {
  return rejectRefused(await answerInputs(inputs, services));
}

export type Answered = Exclude<InputAnswer, { kind: 'unavailable' }>;

/**
 * Strict on the backend too (teaching, evaluation, preparation): the answers, else the first failure. A part that
 * is not there stays `absent`, for the caller to skip.
 */
export function answeredAll(answers: readonly InputAnswer[]): Answered[] {
  const failed = answers.find((answer) => answer.kind === 'unavailable');
  if (failed !== undefined) throw failed.error;
  return answers as Answered[];
}

/** {@link answeredAll} for inputs that were all asked for embeddings; one that is absent is its refusal. */
export function embeddingsOf(answers: readonly InputAnswer[]): Float32Array[] {
  return answeredAll(answers).map((answer) => {
    if (answer.kind === 'absent') throw answer.problem;
    if (answer.kind !== 'embedding') throw new Error(`an embedding was asked for, not ${answer.kind}`);
    return answer.embedding;
  });
}
