import { loadTicket } from '../../shared/application/ticket-commands.ts';
import { mergedStreams } from '../../shared/application/ticket-relations.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { etagOf } from '../../shared/platform/http/etag.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { mayReadPersonalData, messageViews } from '../presenters.ts';
import { ticketIdParams } from '../schemas/tickets.ts';

export const ticketMessages = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:read', params: ticketIdParams }, async (request) => {
    const options = { open: mayReadPersonalData(request.principal) };
    const { ticket, events } = await loadTicket(deps, request.params.id, request.principal.tenantId, options);
    const merged = await mergedStreams(deps, ticket, options);
    const items = [{ ticketId: ticket.id, events }, ...merged].flatMap((stream) => messageViews(stream.ticketId, stream.events));
    // In time order across the tickets; ids (ULIDs) order messages written in the same millisecond.
    items.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    return { status: 200, body: { items }, headers: { etag: etagOf(ticket.version) } };
  });
