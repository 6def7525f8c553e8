/**
 * @module
 * An in-memory backend for the classify pipeline's tests: it embeds with the test's own function and has no
 * classification endpoint and no model listing; and a `time` that only runs the work (no Server-Timing).
 */
import { BackendError } from '../../src/backend/errors.ts';
import type { Backend, BackendClient } from '../../src/backend/types.ts';

/** A backend whose `embed` is the test's; every other call answers as a backend that lists no model. */
export function embeddingBackend(embed: BackendClient['embed']): Backend {
  return {
    url: 'http://backend.test',
    embed,
    classify: () => Promise.reject(new BackendError('unknown-model', 'none')),
    models: () => Promise.resolve([]),
    model: () => Promise.reject(new BackendError('unknown-model', 'none')),
    ready: () => Promise.resolve(true),
  };
}

/** The services' `time`, untimed. */
export const untimed = <T>(_: string, work: () => T | Promise<T>) => Promise.resolve(work());
