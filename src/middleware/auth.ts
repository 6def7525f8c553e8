/**
 * @module
 * API-key authentication and authorisation: with `API_KEY_HASHES` set (see `api-keys.ts`), every `/v1` request
 * needs `Authorization: Bearer <key>` (401 without a known one); a key of scope `inference` may not change tasks
 * and only `admin` may list tenants (403: what is refused is the action, whatever the task, so nothing is
 * confirmed to exist). Without keys the API is open, as for local development, and says so once per isolate.
 *
 * Each request acts for one tenant, handed on as `c.var.tenant`: the key's, or the one an `admin` key names in
 * `ModalFuse-Tenant` (any other key sending it is refused, rather than acting silently as itself); open mode is
 * the public tenant. The key's name (never the key) is handed on as `c.var.apiKey` for rate limits and logs.
 * A batch's line (`batches/identity.ts`) acts as the batch's tenant, with no key: it was checked when the batch
 * was created. Timed as
 * `auth` for `Server-Timing`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { batchLineTenant } from '../batches/identity.ts';
import type { AppEnv } from '../env.ts';
import { log } from '../log.ts';
import { ApiError } from '../problem.ts';
import { timerFor } from '../timer.ts';
import { publicTenant, Tenant, tenantNameRule } from '../tenants/tenant.ts';
import {
  findKey,
  KeyConfigError,
  keyScopes,
  parseKeyHashes,
  type ApiKey,
  type KeyScope,
} from './api-keys.ts';

export interface AuthOptions {
  /** Shown in `WWW-Authenticate`. */
  readonly realm?: string;
}

/** The header in which an admin key names the tenant it acts as (as OpenAI's `OpenAI-Project`). */
export const tenantHeader = 'ModalFuse-Tenant';

let warnedOpen = false;

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * The least scope a request needs: listing tenants is `admin`; changing tasks (creating, replacing, deleting,
 * teaching, refitting) is `all`; the rest — reading, evaluating, classifying, embedding — is `inference`.
 */
function scopeNeeded(method: string, path: string): KeyScope {
  if (path === '/v1/tenants') return 'admin';
  const reads = method === 'GET' || method === 'HEAD' || /^\/v1\/tasks\/[^/]+\/evaluate$/.test(path);
  return !reads && (path === '/v1/tasks' || path.startsWith('/v1/tasks/')) ? 'all' : 'inference';
}

const allows = (scope: KeyScope, needed: KeyScope) => keyScopes.indexOf(scope) >= keyScopes.indexOf(needed);

/** The keys of the `API_KEY_HASHES` last parsed: an isolate serves one deployment's, request after request. */
let parsed: { readonly text: string | undefined; readonly keys: ApiKey[] } | undefined;

function configuredKeys(text: string | undefined): ApiKey[] {
  if (parsed !== undefined && parsed.text === text) return parsed.keys;
  try {
    parsed = { text, keys: parseKeyHashes(text) };
    return parsed.keys;
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

async function presentedKey(c: Context<AppEnv>, keys: readonly ApiKey[], realm: string): Promise<ApiKey> {
  const token = bearerToken(c.req.header('authorization'));
  const key = token === undefined ? undefined : await findKey(token, keys);
  if (key !== undefined) return key;
  const detail = token === undefined ? 'send Authorization: Bearer <API key>' : 'the API key is not valid';
  throw new ApiError(401, 'unauthorized', detail, {
    headers: { 'WWW-Authenticate': `Bearer realm="${realm}"` },
  });
}

/** Who is refused, for a 403's detail. */
function refused(key: ApiKey | undefined): string {
  return key === undefined
    ? 'the API is open (no API_KEY_HASHES), with no admin key'
    : `the API key ${key.name} has scope ${key.scope}`;
}

function authorize(key: ApiKey | undefined, method: string, path: string): void {
  const needed = scopeNeeded(method, path);
  if (allows(key?.scope ?? 'all', needed)) return;
  const what = needed === 'admin' ? 'this needs an admin key' : 'this key may not change tasks';
  throw new ApiError(403, 'forbidden', `${what}: ${refused(key)}`);
}

/** The tenant the request acts for: the key's own, or the one an admin key names. */
function tenantOf(c: Context<AppEnv>, key: ApiKey | undefined): Tenant {
  const asked = c.req.header(tenantHeader);
  if (asked === undefined) return key?.tenant ?? publicTenant;
  if (key?.scope !== 'admin') {
    throw new ApiError(403, 'forbidden', `${tenantHeader} is for admin keys only: ${refused(key)}`);
  }
  const tenant = Tenant.of(asked.trim());
  if (tenant === undefined) {
    throw new ApiError(400, 'invalid-tenant', `${tenantHeader} must be a tenant name: ${tenantNameRule}`);
  }
  return tenant;
}

export function apiKeyAuth(options: AuthOptions = {}): MiddlewareHandler<AppEnv> {
  const realm = options.realm ?? 'modalfuse';
  return async function apiKeyAuth(c, next) {
    const lineTenant = batchLineTenant(c.req.raw);
    if (lineTenant !== undefined) {
      // Here, before the body limit may wrap the request in another (whose mark would be lost).
      c.set('tenant', lineTenant);
      c.set('batchLine', true);
      return next();
    }
    await timerFor(c)('auth', async () => {
      const keys = configuredKeys(c.env?.API_KEY_HASHES);
      if (keys.length === 0 && !warnedOpen) {
        log('warn', 'API_KEY_HASHES is not set: the API is open to anyone (fine for local development)');
        warnedOpen = true;
      }
      const key = keys.length === 0 ? undefined : await presentedKey(c, keys, realm);
      // Set before the checks below, so that a refusal is logged with who was refused.
      if (key !== undefined) {
        c.set('apiKey', key.name);
        c.set('keyScope', key.scope);
      }
      c.set('tenant', tenantOf(c, key));
      authorize(key, c.req.method, c.req.path);
    });
    await next();
  };
}
