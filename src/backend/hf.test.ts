/**
 * @module
 * A provider endpoint's failure as the client sees it: its status, never the provider's error text (which names
 * endpoint URLs and internals); that text goes to the log.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toApiError } from '../error-handler.ts';
import { BackendInputError } from './errors.ts';
import { failure } from './hf.ts';

const providerText = 'POST https://secret-endpoint.example/embed failed: tokenizer at /srv/model exploded';

function providerError(status?: number): Error {
  return Object.assign(new Error(providerText), status === undefined ? {} : { httpResponse: { status } });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('failure', () => {
  it.each([
    [422, 422],
    [413, 422],
    [500, 503],
    [401, 503],
    [undefined, 503],
  ])('a provider %s becomes %i without its text, which is logged', (status, expected) => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = failure('tei-mini', providerError(status));
    const problem = toApiError(error);
    expect(problem?.status).toBe(expected);
    const shown = JSON.stringify({ detail: problem?.message, ...problem });
    for (const secret of ['secret-endpoint', '/srv/model', 'exploded']) expect(shown).not.toContain(secret);
    if (status !== undefined) expect(shown).toContain(`HTTP ${status}`);
    expect(JSON.stringify(warnings.mock.calls)).toContain(providerText);
  });

  it('keeps a provider 4xx the client’s input', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(failure('tei-mini', providerError(400))).toBeInstanceOf(BackendInputError);
  });
});
