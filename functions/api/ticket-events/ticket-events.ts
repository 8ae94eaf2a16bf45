import { loadTicket } from '../../shared/application/ticket-commands.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { etagOf } from '../../shared/platform/http/etag.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { eventView, mayReadPersonalData } from '../presenters.ts';
import { ticketIdParams } from '../schemas/tickets.ts';

export const ticketEvents = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:read', params: ticketIdParams }, async (request) => {
    const { ticket, events } = await loadTicket(deps, request.params.id, request.principal.tenantId, {
      open: mayReadPersonalData(request.principal),
    });
    return { status: 200, body: { items: events.map(eventView) }, headers: { etag: etagOf(ticket.version) } };
  });
