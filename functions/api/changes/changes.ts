import { readChanges } from '../../shared/application/change-feed.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { changesQuery } from '../schemas/changes.ts';

/** The tenant's change feed: PII-free events in the tenant's log order, resumable from any nextCursor. */
export const changes = (deps: Deps) =>
  apiHandler(deps, { permission: 'changes:read', query: changesQuery }, async (request) => ({
    status: 200,
    body: await readChanges(deps, request.principal.tenantId, request.query),
  }));
