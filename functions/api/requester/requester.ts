import type { Ticket } from '../../../domain/ticket/state.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { mayReadPersonalData } from '../presenters.ts';
import { requesterIdParams } from '../schemas/requesters.ts';

/** The most tickets a 360 view folds in; past that it says so (`truncated`). */
const maxTickets = 1000;

/**
 * The requester 360: one data subject across every channel they wrote on, newest ticket first,
 * with the contact details, locale and time zone as their latest ticket has them. From the
 * requester index (a projection, so a ticket opened a second ago may be missing).
 */
export const requester = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:read', params: requesterIdParams }, async (request) => {
    const { tenantId } = request.principal;
    const tickets: Ticket[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.ticketViews.queue({ tenantId, requester: request.params.id, limit: 100, cursor });
      tickets.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && tickets.length < maxTickets);
    if (tickets.length === 0) throw new Problem('notFound', 'No requester with tickets by this id');
    const shown = mayReadPersonalData(request.principal) ? await Promise.all(tickets.map((t) => deps.personalData.openTicket(t))) : tickets;
    shown.sort((a, b) => b.id.localeCompare(a.id));
    const { subjectId: _, ...latest } = shown[0]!.requester;
    const count = <K extends string>(values: K[]) =>
      Object.fromEntries([...new Set(values)].map((v) => [v, values.filter((x) => x === v).length]));
    return {
      status: 200,
      body: {
        id: request.params.id,
        ...latest,
        channels: count(shown.map((t) => t.channel)),
        languages: count(shown.flatMap((t) => (t.language ? [t.language] : []))),
        tickets: shown.map(({ id, subject, status, channel, language, team, createdAt, updatedAt, erasedAt }) => ({
          id,
          subject,
          status,
          channel,
          language,
          team,
          createdAt,
          updatedAt,
          erasedAt,
        })),
        truncated: cursor !== undefined,
      },
    };
  });
