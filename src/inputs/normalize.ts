/**
 * @module
 * One input through its adapter (the scoring stage runs them all in parallel): a URL fetched, a data URL or bare
 * base64 decoded, then the adapter's `normalize`. An error names where the input was (`items[2].inputs.image`).
 */
import { AdapterInputError, isAdapterInputError } from '../../adapters/errors.ts';
import type { CanonicalInput } from '../../adapters/types.ts';
import type { Modalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import { toRawInput, type InputValue } from './raw-input.ts';

export interface InputRequest {
  readonly modality: string;
  readonly value: InputValue;
  /** Where the input sits in the request, for error messages (`inputs.image`). */
  readonly at: string;
}

/** The same problem, with the input's position in its detail and as an `input` extension member. */
export function locateProblem(error: ApiError, at: string): ApiError {
  const extensions = { ...error.options.extensions, input: at };
  return new ApiError(error.status, error.code, `${at}: ${error.message}`, { ...error.options, extensions });
}

function locate(error: unknown, at: string): unknown {
  if (isAdapterInputError(error)) {
    return new AdapterInputError(error.code, `${at}: ${error.message}`, { ...error.details, input: at });
  }
  return error instanceof ApiError ? locateProblem(error, at) : error;
}

export async function normalizeOne(modalities: Modalities, request: InputRequest): Promise<CanonicalInput> {
  const adapter = modalities.get(request.modality);
  try {
    return await adapter.normalize(await toRawInput(adapter, request.value, modalities.urlPolicy));
  } catch (error) {
    throw locate(error, request.at);
  }
}
