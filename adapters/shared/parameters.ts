/**
 * @module
 * Typed reads of a model's `config.json` parameters for the backend faces. A missing or bad parameter is the
 * operator's fault, not the client's, so it throws a plain `Error` (a 500) that names the model and what exists.
 */
import type { PreprocessContext } from '../types.ts';

type ParameterSource = Pick<PreprocessContext, 'model' | 'parameters'>;

/** The raw string value of a required parameter. */
export function stringParameter(context: ParameterSource, key: string): string {
  const value = context.parameters[key];
  if (value === undefined || value.trim() === '') {
    const known = Object.keys(context.parameters).join(', ') || 'none';
    throw new Error(`model "${context.model}": parameter "${key}" is missing (parameters: ${known})`);
  }
  return value.trim();
}

/** A required integer parameter, at least `min`. */
export function integerParameter(context: ParameterSource, key: string, min: number): number {
  const raw = stringParameter(context, key);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`model "${context.model}": parameter "${key}" must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

/** A required comma-separated list of exactly `length` finite numbers (e.g. per-channel means). */
export function numberListParameter(context: ParameterSource, key: string, length: number): number[] {
  const raw = stringParameter(context, key);
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.length !== length || !values.every(Number.isFinite)) {
    throw new Error(`model "${context.model}": parameter "${key}" must be ${length} numbers, got "${raw}"`);
  }
  return values;
}
