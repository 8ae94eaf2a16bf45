import { commitTicket } from '../../shared/application/ticket-commands.ts';
import { apiHandler, type HttpHandler } from '../../shared/platform/http/api-handler.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { commandContext } from '../command-context.ts';
import { idempotencyOf } from '../idempotency-key.ts';
import { replayedHeader, ticketResponse } from '../presenters.ts';
import { npsBody, satisfactionBody, ticketIdParams } from '../schemas/tickets.ts';

/**
 * The requester's survey answers, posted by whatever ran the survey: CSAT (1-5) and NPS (0-10),
 * each once the ticket is solved (409 `not_solved` before); a later answer replaces the earlier.
 */
export const rateTicket = (deps: Deps): HttpHandler => {
  const survey = (body: typeof satisfactionBody | typeof npsBody, type: 'RateSatisfaction' | 'RateNps') =>
    apiHandler(deps, { permission: 'tickets:write', params: ticketIdParams, body }, async (request) => {
      const { ticket, replayed } = await commitTicket(deps, {
        ticketId: request.params.id,
        commands: [{ type, score: request.body.score, comment: request.body.comment ?? null }],
        context: commandContext(request),
        idempotency: idempotencyOf(request),
      });
      return ticketResponse(201, ticket, replayedHeader(replayed));
    });
  const csat = survey(satisfactionBody, 'RateSatisfaction');
  const nps = survey(npsBody, 'RateNps');
  return (event, context) => (event.rawPath.endsWith('/nps') ? nps : csat)(event, context);
};
