import { ticketAt } from '../../shared/application/audit-replay.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { mayReadPersonalData } from '../presenters.ts';
import { auditTicketQuery } from '../schemas/audit.ts';
import { ticketIdParams } from '../schemas/tickets.ts';

/** Point-in-time replay: the ticket as it was at `at`, and the stored events (with their hashes) that made it so. */
export const auditTicket = (deps: Deps) =>
  apiHandler(deps, { permission: 'audit:read', params: ticketIdParams, query: auditTicketQuery }, async (request) => {
    const at = request.query.at ? new Date(request.query.at) : deps.clock();
    const then = await ticketAt(deps.eventStore, request.params.id, at, request.principal.tenantId);
    if (!then) throw new Problem('notFound', `No ticket ${request.params.id} existed at ${at.toISOString()}`);
    const ticket = mayReadPersonalData(request.principal) ? await deps.personalData.openTicket(then.ticket) : then.ticket;
    return { status: 200, body: { at: at.toISOString(), ticket, events: then.events } };
  });
