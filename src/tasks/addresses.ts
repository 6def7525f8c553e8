/**
 * @module
 * Where a tenant's tasks live: the name of each task's Durable Object and of the tenant's task index. A tenant's
 * are its {@link Tenant.ownedName}s (`alice/reviews`, `alice/tasks`); the public tenant keeps the bare names every
 * task had before tenants existed (`reviews`, and the one index `tasks`), so tasks stored in open mode stay where
 * they are. Task ids hold no `/`, so a bare name and an owned one never meet, and {@link addressOf} reads any
 * task object's name back.
 */
import { ApiError } from '../problem.ts';
import { ownerOf, publicTenant, type Tenant } from '../tenants/tenant.ts';
import { TaskIdSchema } from './schema.ts';

export interface TaskAddress {
  readonly tenant: Tenant;
  readonly id: string;
}

/** The local name of a tenant's task index (and the whole name of the public one). */
const indexLocalName = 'tasks';

/**
 * The name of a task's object. A name that is not a task id (`alice/reviews`) is no task of this tenant — a 404,
 * as for any missing task — and never reaches another tenant's object, whichever route or body it came from.
 */
export function taskObjectName({ tenant, id }: TaskAddress): string {
  if (!TaskIdSchema.safeParse(id).success) {
    throw new ApiError(404, 'unknown-task', `there is no task ${JSON.stringify(id)}`);
  }
  return tenant.name === publicTenant.name ? id : tenant.ownedName(id);
}

export function taskIndexName(tenant: Tenant): string {
  return tenant.name === publicTenant.name ? indexLocalName : tenant.ownedName(indexLocalName);
}

/** The tenant and id of a task object's name (a name without `/` is the public tenant's). */
export function addressOf(objectName: string): TaskAddress {
  const owned = ownerOf(objectName);
  return owned ? { tenant: owned.tenant, id: owned.local } : { tenant: publicTenant, id: objectName };
}
