import { loadRetentionPolicy } from '../../shared/application/retention-policies.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { etagOf } from '../../shared/platform/http/etag.ts';
import type { Deps } from '../../shared/ports/deps.ts';

/** The tenant's policy from its stream; a tenant that never set one keeps its tickets (version 0). */
export const getRetentionPolicy = (deps: Deps) =>
  apiHandler(deps, { permission: 'retention:read' }, async (request) => {
    const policy = await loadRetentionPolicy(deps, request.principal.tenantId);
    return { status: 200, body: policy, headers: { etag: etagOf(policy.version) } };
  });
