/**
 * @module
 * Tenant test kit, shared by the edge and e2e tests (imported by tests only): keys of fresh tenants, and every route
 * that takes a task id as a table — each request as a stranger would send it (valid bodies, `If-Match` with the
 * owner's version, so that only the tenant boundary can refuse it) — with a runner that answers what each
 * request got, request-specific fields left out.
 */
import { sha256, type KeyScope } from '../../src/middleware/api-keys.ts';
import { call } from './helpers.ts';

export type Call = (path: string, init?: RequestInit) => Promise<Response>;

export async function hexDigest(key: string): Promise<string> {
  return Array.from(await sha256(key), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export interface KeySpec {
  readonly scope?: KeyScope;
  /** Default: the key's name. */
  readonly tenant?: string;
}

export interface Keys {
  /** `API_KEY_HASHES` for these keys. */
  readonly config: string;
  /** A key's name in the config: the given one made unique, so that each test has its own rate limits. */
  readonly name: (name: string) => string;
  /** The `Authorization` header of a key, by name. */
  readonly auth: (name: string) => Record<string, string>;
  /** The key itself, by name (to look for in logs). */
  readonly secret: (name: string) => string;
}

/** Keys of the given names, each a fresh random secret. */
export async function makeKeys(specs: Readonly<Record<string, KeySpec>>): Promise<Keys> {
  const secrets = new Map(Object.keys(specs).map((name) => [name, `mf-${crypto.randomUUID()}`]));
  const suffix = crypto.randomUUID().slice(0, 8);
  const unique = (name: string) => `${name}-${suffix}`;
  const entries = await Promise.all(
    Object.entries(specs).map(async ([name, spec]) => {
      const digest = await hexDigest(secrets.get(name) ?? '');
      return [unique(name), digest, spec.scope ?? 'all', spec.tenant ?? ''].join(':');
    }),
  );
  const secret = (name: string) => secrets.get(name) ?? `no key ${name}`;
  const auth = (name: string) => ({ authorization: `Bearer ${secret(name)}` });
  return { config: entries.join(','), name: unique, secret, auth };
}

/** Calls the app inside workerd as the key `name` of `keys`. */
export function callAs(keys: Keys, name: string): Call {
  return (path, init = {}) =>
    call(
      path,
      { ...init, headers: { ...keys.auth(name), ...init.headers } },
      { API_KEY_HASHES: keys.config },
    );
}

/** A tenant name no other test uses. */
export const freshTenant = (stem: string) => `${stem}-${crypto.randomUUID().slice(0, 8)}`;

interface TaskRoute {
  readonly name: string;
  readonly method: string;
  readonly path: (id: string) => string;
  readonly json?: (id: string) => unknown;
  readonly form?: (id: string) => Record<string, string>;
  /** Sends `If-Match` with the owner's version. */
  readonly ifMatch?: boolean;
}

const text = { text: 'a red apple' };
const examples = { examples: [{ label: 'red', inputs: text }] };

/** Every route and method that takes a task id (by path or in the body). */
export const taskRoutes: readonly TaskRoute[] = [
  { name: 'read', method: 'GET', path: (id) => `/v1/tasks/${id}` },
  { name: 'head', method: 'HEAD', path: (id) => `/v1/tasks/${id}` },
  { name: 'export', method: 'GET', path: (id) => `/v1/tasks/${id}/export` },
  { name: 'replace', method: 'PUT', path: (id) => `/v1/tasks/${id}`, json: () => ({ labels: ['x', 'y'] }) },
  {
    name: 'replace if-match',
    method: 'PUT',
    path: (id) => `/v1/tasks/${id}`,
    json: () => ({ labels: ['x', 'y'] }),
    ifMatch: true,
  },
  { name: 'delete', method: 'DELETE', path: (id) => `/v1/tasks/${id}` },
  { name: 'teach', method: 'POST', path: (id) => `/v1/tasks/${id}/examples`, json: () => examples },
  {
    name: 'teach if-match',
    method: 'POST',
    path: (id) => `/v1/tasks/${id}/examples`,
    json: () => examples,
    ifMatch: true,
  },
  {
    name: 'teach multipart',
    method: 'POST',
    path: (id) => `/v1/tasks/${id}/examples`,
    form: () => ({ label: 'red', ...text }),
  },
  { name: 'remove example', method: 'DELETE', path: (id) => `/v1/tasks/${id}/examples/1`, ifMatch: true },
  { name: 'remove label', method: 'DELETE', path: (id) => `/v1/tasks/${id}/examples?label=red` },
  { name: 'refit', method: 'POST', path: (id) => `/v1/tasks/${id}/refit`, ifMatch: true },
  { name: 'evaluate', method: 'POST', path: (id) => `/v1/tasks/${id}/evaluate`, json: () => examples },
  { name: 'classify', method: 'POST', path: () => '/v1/classify', json: (task) => ({ task, inputs: text }) },
  {
    name: 'classify items',
    method: 'POST',
    path: () => '/v1/classify',
    json: (task) => ({ task, items: [{ inputs: text }] }),
  },
  {
    name: 'classify multipart',
    method: 'POST',
    path: () => '/v1/classify',
    form: (task) => ({ task, ...text }),
  },
];

function requestOf(route: TaskRoute, id: string, version: number, auth: Record<string, string>): RequestInit {
  const headers: Record<string, string> = {
    ...auth,
    ...(route.ifMatch ? { 'if-match': `"${version}"` } : {}),
  };
  if (route.json) {
    return {
      method: route.method,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(route.json(id)),
    };
  }
  if (route.form) {
    const form = new FormData();
    for (const [name, value] of Object.entries(route.form(id))) form.set(name, value);
    return { method: route.method, headers, body: form };
  }
  return { method: route.method, headers };
}

/** What a response says, without what differs per request (its id, its timing). */
export interface Answered {
  readonly route: string;
  readonly status: number;
  readonly type: string | null;
  readonly etag: string | null;
  readonly body: unknown;
}

async function answered(route: string, response: Response): Promise<Answered> {
  const text = await response.text();
  const parsed = text === '' ? '' : (JSON.parse(text) as Record<string, unknown>);
  const body = typeof parsed === 'object' ? { ...parsed, requestId: undefined } : parsed;
  const type = response.headers.get('content-type');
  return { route, status: response.status, type, etag: response.headers.get('etag'), body };
}

/** Sends every route's request for task `id`, one after another, with `auth`; answers what each got. */
export async function probeTaskRoutes(
  call: Call,
  id: string,
  version: number,
  auth: Record<string, string>,
): Promise<Answered[]> {
  const answers: Answered[] = [];
  for (const route of taskRoutes) {
    answers.push(await answered(route.name, await call(route.path(id), requestOf(route, id, version, auth))));
  }
  return answers;
}
