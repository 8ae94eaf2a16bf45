import type { TicketCommand } from '../../../domain/ticket/commands.ts';
import { commitTicket } from '../../shared/application/ticket-commands.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { parseIfMatch } from '../../shared/platform/http/etag.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { commandContext } from '../command-context.ts';
import { ticketResponse } from '../presenters.ts';
import { patchTicketBody, ticketIdParams } from '../schemas/tickets.ts';

type Patch = ReturnType<typeof patchTicketBody.parse>;

/** One PATCH is one unit: assignment first (it may open a new ticket), status last (solving needs an assignee). */
export function commandsOf(patch: Patch): TicketCommand[] {
  const commands: TicketCommand[] = [];
  if (patch.assignee !== undefined || patch.team !== undefined) {
    commands.push({ type: 'Assign', assignee: patch.assignee, team: patch.team });
  }
  if (patch.priority) commands.push({ type: 'ChangePriority', to: patch.priority });
  if (patch.tags) commands.push({ type: 'SetTags', tags: patch.tags });
  if (patch.fields) commands.push({ type: 'SetFields', fields: patch.fields });
  if (patch.status) commands.push({ type: 'ChangeStatus', to: patch.status });
  return commands;
}

export const patchTicket = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:write', params: ticketIdParams, body: patchTicketBody }, async (request) => {
    const { ticket } = await commitTicket(deps, {
      ticketId: request.params.id,
      commands: commandsOf(request.body),
      context: commandContext(request),
      expects: parseIfMatch(request.headers['if-match']),
    });
    return ticketResponse(200, ticket);
  });
