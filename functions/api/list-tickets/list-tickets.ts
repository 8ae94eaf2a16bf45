import { referencedField } from '../../../domain/ticket/fields.ts';
import { recentSetup } from '../../shared/application/support-setup.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { mayReadPersonalData } from '../presenters.ts';
import { listTicketsQueryWithFields } from '../schemas/tickets.ts';
import { fieldFilters } from './field-filters.ts';

/** The agent queue, from the projection: eventually consistent, typically within a second. */
export const listTickets = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:read', query: listTicketsQueryWithFields }, async (request) => {
    const { requesterEmail, status, team, assignee, limit, cursor, ...rest } = request.query;
    const { tenantId } = request.principal;
    const filters = Object.keys(rest).some((name) => referencedField(name) !== null)
      ? fieldFilters(rest, (await recentSetup(deps, tenantId)).ticketFields)
      : [];
    const query = { status, team, assignee, limit, cursor, requester: rest.requester, fields: filters };
    let requester = query.requester;
    if (requesterEmail !== undefined) {
      if (!mayReadPersonalData(request.principal))
        throw new Problem('forbidden', 'Looking tickets up by email needs a role that may read personal data');
      // By keyed hash: the email itself is neither stored nor compared.
      const subjectId = await deps.subjectKeys.find(tenantId, { kind: 'email', value: requesterEmail });
      if (subjectId === null || (requester !== undefined && requester !== subjectId)) {
        return { status: 200, body: { items: [], nextCursor: null } };
      }
      requester = subjectId;
    }
    const page = await deps.ticketViews.queue({ tenantId, ...query, requester });
    const items = mayReadPersonalData(request.principal)
      ? await Promise.all(page.items.map((ticket) => deps.personalData.openTicket(ticket)))
      : page.items;
    return { status: 200, body: { ...page, items } };
  });
