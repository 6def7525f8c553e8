/**
 * @module
 * The API keys the edge accepts, stored hashed: `API_KEY_HASHES` (a secret) lists `name:sha256hex[:scope[:tenant]]`
 * entries, comma-separated, where `sha256hex` is the SHA-256 of the key (`printf %s "$KEY" | sha256sum`), the
 * scope is `all` (the default, also when left empty), `inference` or `admin`, and the tenant — whose tasks the key
 * reaches — defaults to the key's name; keys naming one tenant share its tasks. The Worker never holds a key in
 * clear text; a presented key is hashed and its digest compared with every stored digest in constant time (no
 * early exit, neither on a byte nor on a match), so timing tells nothing of which byte or which key differed. The
 * name identifies the key in rate limits and logs; the key itself never is.
 */
import { Tenant, tenantNameRule } from '../tenants/tenant.ts';

/**
 * What a key may do: `inference` (embeddings, classify, evaluate, reading models and tasks, bulk work: files and
 * batches, removing only its own — `ownership.ts`), `all` (that, and
 * changing its tenant's tasks), `admin` (that, listing tenants and acting as any, `ModalFuse-Tenant`).
 */
export const keyScopes = ['inference', 'all', 'admin'] as const;

export type KeyScope = (typeof keyScopes)[number];

export interface ApiKey {
  readonly name: string;
  readonly scope: KeyScope;
  readonly tenant: Tenant;
  readonly digest: Uint8Array;
}

/** A malformed `API_KEY_HASHES`: an operator's mistake, reported without echoing the entry (it may hold a key). */
export class KeyConfigError extends Error {
  override readonly name = 'KeyConfigError';
}

function hexBytes(hex: string): Uint8Array | undefined {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return undefined;
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

/** One entry; errors say which entry and which field, never a field's value (it may be a key pasted in clear). */
function parseEntry(entry: string, position: number): ApiKey {
  const [name = '', hex = '', scope = '', tenantName = '', ...rest] = entry
    .split(':')
    .map((part) => part.trim());
  const digest = hexBytes(hex);
  const where = `API_KEY_HASHES entry ${position + 1}`;
  if (name === '' || digest === undefined || rest.length > 0) {
    throw new KeyConfigError(`${where} is not name:sha256hex[:scope[:tenant]] (64 hex digits)`);
  }
  if (scope !== '' && !(keyScopes as readonly string[]).includes(scope)) {
    throw new KeyConfigError(`${where} has an unknown scope; known: ${keyScopes.join(', ')}`);
  }
  const tenant = Tenant.of(tenantName === '' ? name : tenantName);
  if (tenant === undefined) {
    const which = tenantName === '' ? 'its name, which is its tenant when it names none,' : 'its tenant';
    throw new KeyConfigError(`${where}: ${which} is not a tenant name (${tenantNameRule})`);
  }
  return { name, scope: scope === '' ? 'all' : (scope as KeyScope), tenant, digest };
}

/** Entries sharing a name (a key and its replacement, while rotating) must agree on scope and tenant. */
function checkNames(keys: readonly ApiKey[]): void {
  keys.forEach((key, i) => {
    const first = keys.findIndex((other) => other.name === key.name);
    const other = keys[first] as ApiKey;
    if (other.scope !== key.scope || other.tenant.name !== key.tenant.name) {
      const detail = `has the name of entry ${first + 1} with another scope or tenant`;
      throw new KeyConfigError(`API_KEY_HASHES entry ${i + 1} ${detail}`);
    }
  });
}

/**
 * The configured keys; empty only when `API_KEY_HASHES` is unset or the empty string (open mode). A value that
 * holds no entry (`","`, `" "`) is a mistake — perhaps a template left unfilled — so it fails closed, not open.
 */
export function parseKeyHashes(text: string | undefined): ApiKey[] {
  if (text === undefined || text === '') return [];
  const keys = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(parseEntry);
  if (keys.length === 0) throw new KeyConfigError('API_KEY_HASHES is set but holds no entry');
  checkNames(keys);
  return keys;
}

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

function equalDigests(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/** The key whose digest the token's is; every stored digest is compared, whatever matched before. */
export async function findKey(token: string, keys: readonly ApiKey[]): Promise<ApiKey | undefined> {
  const presented = await sha256(token);
  let found: ApiKey | undefined;
  for (const key of keys) {
    const equal = equalDigests(presented, key.digest);
    found = equal ? key : found;
  }
  return found;
}
