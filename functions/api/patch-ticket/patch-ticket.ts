import type { TicketCommand } from '../../../domain/ticket/commands.ts';
import { commitTicket, previewTicket } from '../../shared/application/ticket-commands.ts';
import { apiHandler, byRouteKey, type HttpHandler } from '../../shared/platform/http/api-handler.ts';
import { parseIfMatch } from '../../shared/platform/http/etag.ts';
import { Problem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { commandContext } from '../command-context.ts';
import { ticketResponse } from '../presenters.ts';
import { macroParams, patchTicketBody, ticketIdParams } from '../schemas/tickets.ts';

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

/** PATCH, and macros: an agent's changes to a ticket, each one unit of work. */
export const patchTicket = (deps: Deps): HttpHandler =>
  byRouteKey('ticket changes', {
    'PATCH /v1/tickets/{id}': apiHandler(
      deps,
      { permission: 'tickets:write', params: ticketIdParams, body: patchTicketBody },
      async (request) => {
        const { ticket } = await commitTicket(deps, {
          ticketId: request.params.id,
          commands: commandsOf(request.body),
          context: commandContext(request),
          expects: parseIfMatch(request.headers['if-match']),
        });
        return ticketResponse(200, ticket);
      },
    ),
    'POST /v1/tickets/{id}/macros/{macroId}': apiHandler(deps, { permission: 'tickets:write', params: macroParams }, async (request) => {
      const expects = parseIfMatch(request.headers['if-match']);
      if (!expects) throw new Problem('preconditionRequired', 'Apply a macro with If-Match: the ETag of the ticket you previewed or read');
      const { ticket } = await commitTicket(deps, {
        ticketId: request.params.id,
        commands: [{ type: 'ApplyMacro', macroId: request.params.macroId, agentId: request.principal.sub }],
        context: commandContext(request),
        expects,
      });
      return ticketResponse(200, ticket);
    }),
    'POST /v1/tickets/{id}/macros/{macroId}/preview': apiHandler(
      deps,
      { permission: 'tickets:write', params: macroParams },
      async (request) => {
        const { ticket, events } = await previewTicket(deps, request.params.id, request.principal.tenantId, [
          { type: 'ApplyMacro', macroId: request.params.macroId, agentId: request.principal.sub },
        ]);
        return {
          status: 200,
          body: { ticket, events: events.map(({ type, causedBy }) => ({ type, causedBy: causedBy ?? null })) },
        };
      },
    ),
  });
