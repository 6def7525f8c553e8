/**
 * @module
 * The one error for a failed lookup by name (modality, fusion strategy, head, label). Its message lists what
 * exists, so a client can correct the request without reading the docs.
 */

/** How many known names a message lists before it abbreviates (task label sets may hold 1,000). */
const listedNames = 20;

export class UnknownNameError extends Error {
  override readonly name = 'UnknownNameError';

  constructor(
    /** What was looked up, e.g. `"modality"` or `"fusion strategy"`. */
    readonly kind: string,
    readonly unknown: string,
    readonly known: readonly string[],
  ) {
    super(`unknown ${kind} ${JSON.stringify(unknown)}; known: ${listNames(known)}`);
  }
}

/** `a, b, c` — or the first few and how many more, so a problem stays small. */
export function listNames(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, listedNames).join(', ');
  return names.length > listedNames ? `${shown} and ${names.length - listedNames} more` : shown;
}
