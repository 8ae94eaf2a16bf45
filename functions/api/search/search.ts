import { NothingToSearch, searchTickets } from '../../shared/application/ticket-search.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { validationProblem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { mayReadPersonalData } from '../presenters.ts';
import { searchQuery } from '../schemas/search.ts';

/** `GET /v1/search`: the tenant's tickets with every word of q, newest first, found by keyed hashes of words. */
export const search = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:read', query: searchQuery }, async (request) => {
    const page = await searchTickets(deps, { tenantId: request.principal.tenantId, ...request.query }).catch((error) => {
      if (error instanceof NothingToSearch)
        throw validationProblem([{ path: '/q', location: 'query', message: 'q holds no word to search for' }]);
      throw error;
    });
    const items = mayReadPersonalData(request.principal)
      ? await Promise.all(page.items.map((ticket) => deps.personalData.openTicket(ticket)))
      : page.items;
    return { status: 200, body: { ...page, items } };
  });
