import type { Deps } from '../../shared/composition.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { commitTicket } from '../../shared/ticket-commands.ts';
import { commandContext } from '../command-context.ts';
import { idempotencyOf } from '../idempotency-key.ts';
import { replayedHeader, ticketResponse } from '../presenters.ts';
import { createTicketBody } from '../schemas.ts';

export const createTicket = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:write', body: createTicketBody }, async (request) => {
    const ticketId = deps.newId();
    const { ticket, replayed } = await commitTicket(deps, {
      ticketId,
      commands: [{ type: 'OpenTicket', ticketId, ...request.body }],
      context: commandContext(request),
      idempotency: idempotencyOf(request),
    });
    return ticketResponse(201, ticket, { location: `/v1/tickets/${ticket.id}`, ...replayedHeader(replayed) });
  });
