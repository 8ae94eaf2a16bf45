import type { Deps } from '../../shared/composition.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { listTicketsQuery } from '../schemas.ts';

/** The agent queue, from the projection: eventually consistent, typically within a second. */
export const listTickets = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:read', query: listTicketsQuery }, async (request) => ({
    status: 200,
    body: await deps.ticketViews.queue({ tenantId: request.principal.tenantId, ...request.query }),
  }));
