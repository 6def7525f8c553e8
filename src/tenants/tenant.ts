/**
 * @module
 * Tenants: who owns what is stored. Every `/v1` request acts for exactly one {@link Tenant}, which auth sets
 * (`c.var.tenant`: the key's tenant, the one an admin key names in `ModalFuse-Tenant`, or {@link publicTenant} in
 * open mode) and from which `createServices` derives everything tenant-owned: the task store, the embedding
 * cache's partition — and, for the same reason, any later store (files in R2, batches in Durable Objects, caches of
 * task data). Work outside a request (a queue consumer) rebuilds the tenant from its stored name with
 * {@link Tenant.of} and gets the same services.
 *
 * Names of what a tenant owns, in a namespace all tenants share (a Durable Object class, a bucket, a cache), are
 * `tenant/local` ({@link Tenant.ownedName}): tenant names hold no `/`, so the first `/` splits a name back
 * unambiguously ({@link ownerOf}) whatever the local part holds, and two tenants' `reviews` never meet.
 */
import { z } from '@hono/zod-openapi';

/** Letters, digits, `.`, `_` and `-`, starting with a letter or digit: the rule of task ids, at most 64. */
export const tenantNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const tenantNameRule = 'letters, digits, ".", "_" and "-", at most 64, not starting with a symbol';

export const TenantNameSchema = z
  .string()
  .regex(tenantNamePattern, tenantNameRule)
  .openapi({ example: 'acme' });

export class Tenant {
  /** Made only by {@link Tenant.of}, so a tenant's name is always a valid one. */
  private constructor(readonly name: string) {}

  /** The tenant named `name`, or undefined when the name breaks {@link tenantNameRule}. */
  static of(name: string): Tenant | undefined {
    return tenantNamePattern.test(name) ? new Tenant(name) : undefined;
  }

  /** The name of something this tenant owns, unique across tenants: `tenant/local`. */
  ownedName(local: string): string {
    return `${this.name}/${local}`;
  }
}

/** The one tenant of open mode (no API keys), and of keys that name it. */
export const publicTenant = Tenant.of('public') as Tenant;

/** The owner and local part of an {@link Tenant.ownedName}; undefined for a name no tenant owns. */
export function ownerOf(name: string): { tenant: Tenant; local: string } | undefined {
  const slash = name.indexOf('/');
  const tenant = slash < 0 ? undefined : Tenant.of(name.slice(0, slash));
  return tenant && { tenant, local: name.slice(slash + 1) };
}
