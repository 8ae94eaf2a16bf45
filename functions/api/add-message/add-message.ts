import type { AddMessage } from '../../../domain/ticket/commands.ts';
import { claimUploads } from '../../shared/application/attachments.ts';
import { commitTicket } from '../../shared/application/ticket-commands.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { etagOf } from '../../shared/platform/http/etag.ts';
import { detectLanguage } from '../../shared/platform/language.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { commandContext } from '../command-context.ts';
import { idempotencyOf } from '../idempotency-key.ts';
import { messageViews, replayedHeader } from '../presenters.ts';
import { addMessageBody, ticketIdParams } from '../schemas/tickets.ts';

export const addMessage = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:write', params: ticketIdParams, body: addMessageBody }, async (request) => {
    const ticketId = request.params.id;
    const { tenantId } = request.principal;
    const { attachments: tokens, ...written } = request.body;
    const command: AddMessage = {
      type: 'AddMessage',
      messageId: deps.newId(),
      authorId: request.principal.sub,
      ...written,
      language: detectLanguage(written.body),
    };
    const idempotency = idempotencyOf(request);
    // The ticket takes the message before its uploads are claimed: a refused message, or a replay, claims nothing.
    const attachments = await claimUploads(deps, { tenantId, ticketId, message: command, tokens, idempotency });
    const { ticket, events, replayed } = await commitTicket(deps, {
      ticketId,
      commands: [{ ...command, attachments }],
      context: commandContext(request),
      idempotency,
    });
    const [message] = messageViews(ticketId, events);
    return {
      status: 201,
      body: message,
      headers: { etag: etagOf(ticket.version), location: `/v1/tickets/${ticketId}/messages`, ...replayedHeader(replayed) },
    };
  });
