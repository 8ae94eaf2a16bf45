import { loadTicket } from '../../shared/application/ticket-commands.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { etagOf, matchesIfNoneMatch } from '../../shared/platform/http/etag.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { mayReadPersonalData, ticketResponse } from '../presenters.ts';
import { ticketIdParams } from '../schemas/tickets.ts';

/** Folded from the stream, not the projection: the ETag a client gets here is current for If-Match. */
export const getTicket = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:read', params: ticketIdParams }, async (request) => {
    const { ticket } = await loadTicket(deps, request.params.id, request.principal.tenantId, {
      open: mayReadPersonalData(request.principal),
    });
    if (matchesIfNoneMatch(request.headers['if-none-match'], ticket.version)) {
      return { status: 304, headers: { etag: etagOf(ticket.version) } };
    }
    return ticketResponse(200, ticket);
  });
