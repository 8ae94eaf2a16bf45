import { closedBy } from '../../../domain/retention/retention-policy.ts';
import { loadRetentionPolicy } from '../../shared/application/retention-policies.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { retentionDryRunQuery } from '../schemas/retention.ts';

/** What the retention job would erase if it ran now, under the policy in force or a proposed period. */
export const retentionDryRun = (deps: Deps) =>
  apiHandler(deps, { permission: 'retention:read', query: retentionDryRunQuery }, async (request) => {
    const { tenantId } = request.principal;
    const asOf = deps.clock();
    const days = request.query.eraseClosedTicketsAfterDays ?? (await loadRetentionPolicy(deps, tenantId)).eraseClosedTicketsAfterDays;
    if (days === null)
      return {
        status: 200,
        body: { asOf: asOf.toISOString(), eraseClosedTicketsAfterDays: null, closedBy: null, items: [], nextCursor: null },
      };
    const cutoff = closedBy(days, asOf);
    const page = await deps.ticketViews.closedBy({ tenantId, closedBy: cutoff, limit: request.query.limit, cursor: request.query.cursor });
    const items = page.items.map((ticket) => ({ ticketId: ticket.id, createdAt: ticket.createdAt, closedAt: ticket.closedAt! }));
    return {
      status: 200,
      body: {
        asOf: asOf.toISOString(),
        eraseClosedTicketsAfterDays: days,
        closedBy: cutoff.toISOString(),
        items,
        nextCursor: page.nextCursor,
      },
    };
  });
