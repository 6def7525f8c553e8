/**
 * @module
 * Inputs that could not be used, as problems: one input's refusal (by its adapter at the edge, or by its model on
 * the backend) located at the input (`items[2].inputs.audio: …`, an `input` member), and the one problem of a
 * request or an item that fails because of its refused inputs — every one of them named, not only the first.
 */
import { toApiError } from '../error-handler.ts';
import { locateProblem } from '../inputs/normalize.ts';
import { ApiError, type ProblemExtensions } from '../problem.ts';

/** An input its adapter or its model refused, with the problem it answers. */
export interface Refused {
  readonly kind: 'refused';
  readonly problem: ApiError;
}

/**
 * The refusal an error means, located at `at` when it is not already (the backend's do not know where their input
 * sat). An error that is no input's fault (a bug) is thrown on, to be answered as one.
 */
export function refusedBy(error: unknown, at?: string): Refused {
  const problem = toApiError(error);
  if (problem === undefined) throw error;
  return { kind: 'refused', problem: at === undefined ? problem : locateProblem(problem, at) };
}

/** The extension members every problem has with the same value (e.g. the `model` that refused them all). */
function sharedExtensions(problems: readonly ApiError[]): ProblemExtensions {
  const [first, ...rest] = problems;
  const entries = Object.entries(first?.options.extensions ?? {}).filter(
    ([name, value]) =>
      name !== 'input' && rest.every((problem) => problem.options.extensions?.[name] === value),
  );
  return Object.fromEntries(entries);
}

/**
 * The problem of refused inputs together: one is its own problem; several answer with the first's status and code
 * (in request order), a detail naming each, and the members they share. Either way `invalid` lists each input
 * with its status, code and detail.
 */
export function refusalOf(problems: readonly ApiError[], extensions: ProblemExtensions = {}): ApiError {
  const [first, ...rest] = problems;
  if (first === undefined) throw new Error('a refusal needs at least one refused input');
  const invalid = problems.map((problem) => ({
    input: problem.options.extensions?.input,
    status: problem.status,
    code: problem.code,
    detail: problem.message,
  }));
  if (rest.length === 0) {
    const own = { ...first.options.extensions, invalid, ...extensions };
    return new ApiError(first.status, first.code, first.message, { ...first.options, extensions: own });
  }
  const detail = `${problems.length} inputs could not be used: ${problems.map((p) => p.message).join('; ')}`;
  const own = { ...sharedExtensions(problems), invalid, ...extensions };
  return new ApiError(first.status, first.code, detail, { extensions: own });
}
