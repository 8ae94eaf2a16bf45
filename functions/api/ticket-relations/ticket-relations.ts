import { linkTickets, mergeTickets, unlinkTickets } from '../../shared/application/ticket-relations.ts';
import { apiHandler, byRouteKey, type HttpHandler } from '../../shared/platform/http/api-handler.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { commandContext } from '../command-context.ts';
import { ticketResponse } from '../presenters.ts';
import { linkBody, linkParams, mergeBody, ticketIdParams } from '../schemas/tickets.ts';

/** Merging tickets into one, and linking tickets both ways: writes that reach more than one ticket. */
export const ticketRelations = (deps: Deps): HttpHandler => {
  const merge = apiHandler(deps, { permission: 'tickets:write', params: ticketIdParams, body: mergeBody }, async (request) => {
    const ticket = await mergeTickets(deps, {
      targetId: request.params.id,
      sourceIds: request.body.sourceIds,
      context: commandContext(request),
    });
    return ticketResponse(200, ticket);
  });
  const link = apiHandler(deps, { permission: 'tickets:write', params: ticketIdParams, body: linkBody }, async (request) => {
    const ticket = await linkTickets(deps, {
      ticketId: request.params.id,
      otherId: request.body.ticketId,
      kind: request.body.kind,
      context: commandContext(request),
    });
    return ticketResponse(200, ticket);
  });
  const unlink = apiHandler(deps, { permission: 'tickets:write', params: linkParams }, async (request) => {
    const ticket = await unlinkTickets(deps, {
      ticketId: request.params.id,
      otherId: request.params.linkedId,
      context: commandContext(request),
    });
    return ticketResponse(200, ticket);
  });
  return byRouteKey('ticket relations', {
    'POST /v1/tickets/{id}/merge': merge,
    'POST /v1/tickets/{id}/links': link,
    'DELETE /v1/tickets/{id}/links/{linkedId}': unlink,
  });
};
