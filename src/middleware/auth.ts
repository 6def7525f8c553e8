/**
 * @module
 * API-key authentication: with `API_KEYS` set (comma-separated, a secret), every request needs
 * `Authorization: Bearer <key>`; without it the API is open, as for local development, and says so once per
 * isolate. Keys are compared in constant time: both sides are hashed with SHA-256 and the digests compared
 * without early exit, so neither the position of a mismatch nor the key's length shows in the timing.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../problem.ts';

export interface AuthOptions {
  /** Shown in `WWW-Authenticate`. */
  readonly realm?: string;
}

let warnedOpen = false;

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

function equalDigests(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/** Compares with every key, never stopping at the first match. */
async function isKnownKey(token: string, keys: readonly string[]): Promise<boolean> {
  const presented = await digest(token);
  let known = false;
  for (const key of keys) {
    const equal = equalDigests(presented, await digest(key));
    known = known || equal;
  }
  return known;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '');
  return match?.[1];
}

export function apiKeyAuth(options: AuthOptions = {}): MiddlewareHandler<AppEnv> {
  const challenge = `Bearer realm="${options.realm ?? 'modalfuse'}"`;
  return async function apiKeyAuth(c, next) {
    const keys = (c.env?.API_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key !== '');
    if (keys.length === 0) {
      if (!warnedOpen)
        console.warn('API_KEYS is not set: the API is open to anyone (fine for local development).');
      warnedOpen = true;
      return next();
    }
    const token = bearerToken(c.req.header('authorization'));
    if (token === undefined || !(await isKnownKey(token, keys))) {
      const detail =
        token === undefined ? 'send Authorization: Bearer <API key>' : 'the API key is not valid';
      throw new ApiError(401, 'unauthorized', detail, { headers: { 'WWW-Authenticate': challenge } });
    }
    await next();
  };
}
