/**
 * @module
 * The tenants as an admin sees them (`GET /v1/tenants`): every tenant a configured key names, and the public tenant
 * when it holds tasks (those stored in open mode) or a key names it, each with its keys (names and scopes, never
 * digests) and how many tasks it has. Tenants exist through their keys: one whose keys were all removed is not
 * listed, though its tasks stay and an admin key can still act as it by name.
 */
import type { ApiKey, KeyScope } from '../middleware/api-keys.ts';
import { publicTenant, type Tenant } from './tenant.ts';

export interface TenantEntry {
  readonly id: string;
  readonly keys: { readonly name: string; readonly scope: KeyScope }[];
  readonly tasks: number;
}

export interface TenantDirectory {
  /** Every tenant, by name. */
  list(): Promise<TenantEntry[]>;
}

/** The directory over the configured keys; `countTasks` asks a tenant's task index. */
export function tenantDirectory(
  keys: () => readonly ApiKey[],
  countTasks: (tenant: Tenant) => Promise<number>,
): TenantDirectory {
  async function entryOf(tenant: Tenant, configured: readonly ApiKey[]): Promise<TenantEntry> {
    const own = configured.filter((key) => key.tenant.name === tenant.name);
    // Entries of one name (a key and its replacement) are one key.
    const named = new Map(own.map((key) => [key.name, { name: key.name, scope: key.scope }]));
    return { id: tenant.name, keys: [...named.values()], tasks: await countTasks(tenant) };
  }

  return {
    async list() {
      const configured = keys();
      const tenants = new Map(configured.map((key) => [key.tenant.name, key.tenant]));
      if (!tenants.has(publicTenant.name)) tenants.set(publicTenant.name, publicTenant);
      const names = [...tenants.keys()].sort();
      const entries = await Promise.all(
        names.map((name) => entryOf(tenants.get(name) as Tenant, configured)),
      );
      return entries.filter((entry) => entry.id !== publicTenant.name || entry.keys.length + entry.tasks > 0);
    },
  };
}
