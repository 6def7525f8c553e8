/**
 * @module
 * The `ModalFuse-Tenant` header in `/openapi.json`: a parameter of every `/v1` operation (but the tenant list
 * itself), added to the generated document in one place rather than to each route's definition.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { tenantHeader } from '../middleware/auth.ts';
import { tenantNamePattern, tenantNameRule } from './tenant.ts';

type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

const parameterName = 'ModalFuseTenant';

const parameter = {
  name: tenantHeader,
  in: 'header' as const,
  required: false,
  schema: { type: 'string' as const, pattern: tenantNamePattern.source },
  description:
    `Admin keys only: act as this tenant (${tenantNameRule}) — its tasks and its embedding cache. ` +
    'Any other key sending it is refused (403); without it a key acts as its own tenant.',
};

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

type PathItem = NonNullable<OpenApiDocument['paths']>[string];

function withParameter(item: PathItem): PathItem {
  const ref = { $ref: `#/components/parameters/${parameterName}` };
  const operations = methods.flatMap((method) => {
    const operation = item[method];
    return operation ? [[method, { ...operation, parameters: [...(operation.parameters ?? []), ref] }]] : [];
  });
  return { ...item, ...Object.fromEntries(operations) };
}

export function withTenantHeader(document: OpenApiDocument): OpenApiDocument {
  const paths = Object.entries(document.paths ?? {}).map(([path, item]) => [
    path,
    path.startsWith('/v1/') && path !== '/v1/tenants' ? withParameter(item) : item,
  ]);
  const parameters = { ...document.components?.parameters, [parameterName]: parameter };
  return {
    ...document,
    paths: Object.fromEntries(paths),
    components: { ...document.components, parameters },
  };
}
