/**
 * @module
 * How each known error becomes a problem: adapters' codes keep their status, lookups list what is known, the
 * backend's failures split into ours (5xx, with Retry-After for outages) and the client's (4xx).
 */
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { AdapterInputError } from '../adapters/errors.ts';
import { BackendError, BackendInputError } from './backend/errors.ts';
import { toApiError } from './error-handler.ts';
import { DimensionMismatchError } from './heads/prototype.ts';
import { UnknownNameError } from './lookup-error.ts';

describe('toApiError', () => {
  it("keeps an adapter error's status, code and details", () => {
    const error = toApiError(
      new AdapterInputError('type-mismatch', 'declared image/jpeg', { found: 'image/png' }),
    );
    expect(error).toMatchObject({
      status: 415,
      code: 'type-mismatch',
      options: { extensions: { found: 'image/png' } },
    });
  });

  it('answers a failed lookup with 400 and the known names', () => {
    const error = toApiError(new UnknownNameError('fusion strategy', 'vote', ['weighted', 'product']));
    expect(error).toMatchObject({ status: 400, code: 'unknown-fusion-strategy' });
    expect(error?.options.extensions).toEqual({ known: ['weighted', 'product'] });
  });

  it('answers backend outages with 503 and its Retry-After, other backend failures without', () => {
    const outage = toApiError(new BackendError('unavailable', 'down', 12));
    expect(outage).toMatchObject({ status: 503, code: 'backend-unavailable' });
    expect(outage?.options.headers).toEqual({ 'Retry-After': '12' });
    expect(toApiError(new BackendError('bad-response', 'nonsense'))).toMatchObject({ status: 502 });
    expect(toApiError(new BackendError('unknown-model', 'no such model'))).toMatchObject({
      status: 422,
      code: 'model-not-served',
    });
  });

  it("answers the backend's refusal of an input with the adapter's status, or 422", () => {
    expect(toApiError(new BackendInputError('m', 'truncated', 'malformed'))).toMatchObject({ status: 422 });
    expect(toApiError(new BackendInputError('m', 'not audio', 'unsupported-type'))).toMatchObject({
      status: 415,
    });
    expect(toApiError(new BackendInputError('m', 'huge', 'too-large'))).toMatchObject({ status: 413 });
    const unknown = toApiError(new BackendInputError('m', 'odd', 'toString'));
    expect(unknown).toMatchObject({ status: 422, code: 'input-rejected-by-model' });
    expect(unknown?.options.extensions).toMatchObject({ model: 'm', backendMessage: 'odd' });
    expect(toApiError(new BackendInputError('m', 'no code'))).toMatchObject({ status: 422 });
  });

  it("answers Hono's HTTP exceptions and a changed embedding size", () => {
    expect(toApiError(new HTTPException(415, { message: 'Unsupported Media Type' }))).toMatchObject({
      status: 415,
      code: 'unsupported-media-type',
    });
    expect(toApiError(new DimensionMismatchError(256, 512))).toMatchObject({ status: 409 });
  });

  it('leaves anything else unknown (a 500 with a generic detail)', () => {
    expect(toApiError(new TypeError('x is undefined'))).toBeUndefined();
    expect(toApiError('a string')).toBeUndefined();
  });
});
