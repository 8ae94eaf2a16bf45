import { supportMetrics } from '../../../domain/metrics/support-metrics.ts';
import { referencedField } from '../../../domain/ticket/fields.ts';
import type { Ticket } from '../../../domain/ticket/state.ts';
import { recentSetup } from '../../shared/application/support-setup.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem, validationProblem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { dropdownGroupingRule, metricsPeriodRules, metricsQuery } from '../schemas/metrics.ts';

/** The most tickets one answer folds in: a wider period is refused rather than answered in part. */
export const maxMetricTickets = 50_000;
const dayMs = 24 * 60 * 60 * 1000;

/** `GET /v1/metrics`: the tenant's tickets created from `from` to `to` (UTC days, both included), measured and grouped. */
export const metrics = (deps: Deps) =>
  apiHandler(deps, { permission: 'metrics:read', query: metricsQuery }, async (request) => {
    const { from, to, groupBy } = request.query;
    const byField = groupBy.filter((grouping) => referencedField(grouping) !== null);
    if (byField.length > 0) {
      const fields = (await recentSetup(deps, request.principal.tenantId)).ticketFields;
      const notDropdown = byField.filter((grouping) => fields[referencedField(grouping)!]?.type !== 'dropdown');
      if (notDropdown.length > 0)
        throw validationProblem([{ path: '/groupBy', location: 'query', message: `${dropdownGroupingRule}: ${notDropdown.join(', ')}` }]);
    }
    const tickets: Ticket[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.ticketViews.createdBetween({
        tenantId: request.principal.tenantId,
        from: new Date(`${from}T00:00:00Z`),
        to: new Date(Date.parse(`${to}T00:00:00Z`) + dayMs - 1),
        limit: 100,
        cursor,
      });
      tickets.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      if (tickets.length > maxMetricTickets) {
        throw new Problem('validation', `More than ${maxMetricTickets} tickets in the period: ask for a shorter one`, {
          errors: [{ path: '/from', location: 'query', message: metricsPeriodRules.tickets }],
        });
      }
    } while (cursor);
    return { status: 200, body: { from, to, groupBy, ...supportMetrics(tickets, groupBy) } };
  });
