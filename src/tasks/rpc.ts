/**
 * @module
 * What crosses between the Worker and the tasks' Durable Objects besides tasks and changes: answers that carry a
 * problem instead of throwing one (an error thrown across RPC loses its class and extension members).
 */
export interface StoredProblem {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export type Answer<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: StoredProblem };

export function refusal(status: number, code: string, detail: string, extensions?: Record<string, unknown>) {
  return { ok: false as const, problem: { status, code, detail, ...(extensions ? { extensions } : {}) } };
}
