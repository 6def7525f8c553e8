/**
 * @module
 * Who a batch's line runs as. Lines run through the app itself (`app.fetch`), as the tenant that created the
 * batch, but no API key is stored to send with them: the consumer marks each request it makes with the tenant
 * instead, in a map only code in this isolate can write, so no client can forge the mark (a header could be).
 * Auth lets a marked request act as its tenant (scope `inference`: lines only embed and classify).
 */
import type { Tenant } from '../tenants/tenant.ts';

const marked = new WeakMap<Request, Tenant>();

export function asTenant(request: Request, tenant: Tenant): Request {
  marked.set(request, tenant);
  return request;
}

/** The tenant a batch line's request runs as; undefined for every request from outside. */
export function batchLineTenant(request: Request): Tenant | undefined {
  return marked.get(request);
}
