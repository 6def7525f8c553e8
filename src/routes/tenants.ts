/**
 * @module
 * `GET /v1/tenants` (admin keys only, checked by auth): the tenants, their keys and how many tasks each has
 * (`tenants/directory.ts`). An admin key acts as one of them on any other route with `ModalFuse-Tenant`.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { keyScopes } from '../middleware/api-keys.ts';
import { json, problems } from '../openapi.ts';
import { createRouter } from '../router.ts';
import { TenantNameSchema } from '../tenants/tenant.ts';

const TenantSchema = z
  .object({
    id: TenantNameSchema,
    keys: z
      .array(z.object({ name: z.string(), scope: z.enum(keyScopes) }))
      .openapi({ description: "The keys reaching this tenant's tasks, by name (never their digests)." }),
    tasks: z.number().int().min(0),
  })
  .openapi('Tenant');

const listTenants = createRoute({
  method: 'get',
  path: '/v1/tenants',
  tags: ['tenants'],
  summary:
    'List the tenants (admin keys only): those the API keys name, and the public one when it has tasks.',
  responses: {
    200: json(z.object({ data: z.array(TenantSchema) }).openapi('TenantList'), 'Every tenant, by name.'),
    ...problems(401, 403),
  },
});

export const tenantsRoutes = createRouter().openapi(listTenants, async (c) =>
  c.json({ data: await c.var.services.tenants.list() }, 200),
);
