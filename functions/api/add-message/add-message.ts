import type { Deps } from '../../shared/composition.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { etagOf } from '../../shared/http/etag.ts';
import { detectLanguage } from '../../shared/language.ts';
import { commitTicket } from '../../shared/ticket-commands.ts';
import { commandContext } from '../command-context.ts';
import { idempotencyOf } from '../idempotency-key.ts';
import { messageViews, replayedHeader } from '../presenters.ts';
import { addMessageBody, ticketIdParams } from '../schemas/tickets.ts';

export const addMessage = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:write', params: ticketIdParams, body: addMessageBody }, async (request) => {
    const ticketId = request.params.id;
    const { ticket, events, replayed } = await commitTicket(deps, {
      ticketId,
      commands: [
        {
          type: 'AddMessage',
          messageId: deps.newId(),
          authorId: request.principal.sub,
          ...request.body,
          language: detectLanguage(request.body.body),
        },
      ],
      context: commandContext(request),
      idempotency: idempotencyOf(request),
    });
    const [message] = messageViews(ticketId, events);
    return {
      status: 201,
      body: message,
      headers: { etag: etagOf(ticket.version), location: `/v1/tickets/${ticketId}/messages`, ...replayedHeader(replayed) },
    };
  });
