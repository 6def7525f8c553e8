/**
 * @module
 * How `wrangler dev` is pointed at a backend, as the deployed Worker is: its URL as the `BACKEND_URL` var, its
 * bearer token as the `BACKEND_TOKEN` secret — an env file (`--env-file`) readable by this user only, since wrangler
 * keeps such values hidden in its output, where a `--var` would be printed and shown in the process list.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EdgeBackend {
  readonly url: string;
  /** The backend's `MODALFUSE_BACKEND_TOKEN`; `undefined`: an open backend, and no secret. */
  readonly token: string | undefined;
}

export interface EdgeBackendArgs {
  /** wrangler's arguments: `--var BACKEND_URL:…` and, with a token, `--env-file <file>`. */
  readonly args: readonly string[];
  /** Deletes the env file (wrangler reads it again when it reloads, so only once it has exited). */
  remove(): void;
}

export function edgeBackendArgs(backend: EdgeBackend): EdgeBackendArgs {
  const url = ['--var', `BACKEND_URL:${backend.url}`];
  if (backend.token === undefined) return { args: url, remove: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'modalfuse-edge-secrets-'));
  const file = join(dir, 'edge.env');
  writeFileSync(file, `BACKEND_TOKEN=${backend.token}\n`, { mode: 0o600 });
  return { args: [...url, '--env-file', file], remove: () => rmSync(dir, { recursive: true, force: true }) };
}
