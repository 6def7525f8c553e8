/**
 * @module
 * API-key authentication and authorisation: with `API_KEY_HASHES` set (see `api-keys.ts`), every `/v1` request
 * needs `Authorization: Bearer <key>` (401 without a known one) and a key of scope `inference` may not change
 * tasks (403). Without keys the API is open, as for local development, and says so once per isolate. The key's
 * name (never the key) is handed on as `c.var.apiKey` for rate limits and logs.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { log } from '../log.ts';
import { ApiError } from '../problem.ts';
import { findKey, KeyConfigError, parseKeyHashes, type ApiKey } from './api-keys.ts';

export interface AuthOptions {
  /** Shown in `WWW-Authenticate`. */
  readonly realm?: string;
}

let warnedOpen = false;

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '');
  return match?.[1];
}

/** Changing tasks (creating, deleting, teaching) needs scope `all`; everything else is inference. */
function needsFullScope(method: string, path: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && path.startsWith('/v1/tasks');
}

function configuredKeys(text: string | undefined): ApiKey[] {
  try {
    return parseKeyHashes(text);
  } catch (error) {
    if (!(error instanceof KeyConfigError)) throw error;
    log('error', error.message);
    throw new ApiError(
      500,
      'auth-misconfigured',
      'the API keys are misconfigured; the operator has been told',
    );
  }
}

export function apiKeyAuth(options: AuthOptions = {}): MiddlewareHandler<AppEnv> {
  const challenge = `Bearer realm="${options.realm ?? 'modalfuse'}"`;
  return async function apiKeyAuth(c, next) {
    const keys = configuredKeys(c.env?.API_KEY_HASHES);
    if (keys.length === 0) {
      if (!warnedOpen) {
        log('warn', 'API_KEY_HASHES is not set: the API is open to anyone (fine for local development)');
      }
      warnedOpen = true;
      return next();
    }
    const token = bearerToken(c.req.header('authorization'));
    const key = token === undefined ? undefined : await findKey(token, keys);
    if (key === undefined) {
      const detail =
        token === undefined ? 'send Authorization: Bearer <API key>' : 'the API key is not valid';
      throw new ApiError(401, 'unauthorized', detail, { headers: { 'WWW-Authenticate': challenge } });
    }
    if (key.scope !== 'all' && needsFullScope(c.req.method, c.req.path)) {
      const detail = `the API key ${key.name} has scope ${key.scope}, which may not change tasks`;
      throw new ApiError(403, 'forbidden', detail);
    }
    c.set('apiKey', key.name);
    await next();
  };
}
