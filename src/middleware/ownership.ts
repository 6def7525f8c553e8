/**
 * @module
 * Who may remove a tenant's bulk work. Files and batches are bulk inference, so an `inference` key may upload
 * files, create batches and read all of its tenant's; but deleting a file or cancelling a batch undoes someone's
 * work, so such a key may do it only to what it created itself (the key's name is stored with each at creation).
 * `all` and `admin` keys, and open mode, may act on any of the tenant's. A refusal is 403, after the 404 of a file
 * or batch that does not exist, so it confirms only what the caller could read anyway.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../problem.ts';

/** Refuses (403) an `inference` key acting on a file or batch that another key (or none) created. */
export function checkOwnKey(c: Context<AppEnv>, createdBy: string | undefined, what: string): void {
  const { apiKey, keyScope } = c.var;
  if (keyScope !== 'inference' || (createdBy !== undefined && createdBy === apiKey)) return;
  const detail = `an inference key may ${what} only it created: the API key ${apiKey ?? ''} has scope inference`;
  throw new ApiError(403, 'forbidden', detail);
}
