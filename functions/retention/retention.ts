import { closedBy, isInForce, type RetentionPolicyInForce } from '../../domain/retention/retention-policy.ts';
import { retentionDue } from '../../domain/ticket/decide.ts';
import type { CommandContext } from '../shared/application/commands.ts';
import { loadRetentionPolicy } from '../shared/application/retention-policies.ts';
import { loadTicket } from '../shared/application/ticket-commands.ts';
import { eraseTicket } from '../shared/application/ticket-erasure.ts';
import { MetricUnit } from '../shared/platform/observability.ts';
import type { Deps } from '../shared/ports/deps.ts';

/** Tickets erased at once per tenant: each is a key deletion and a small transaction. */
const parallelism = 8;

export interface RetentionRun {
  asOf: string;
  tenants: number;
  erased: number;
  /** Tenants whose run failed; the others carried on, and the next run tries these again. */
  failedTenants: string[];
  /** False when the run stopped for time; the next run carries on where the index says. */
  complete: boolean;
}

/**
 * The daily retention job (a rate schedule in the stack, the local scheduler in `npm start`): for
 * every tenant with a policy in force, crypto-shreds each ticket closed for longer than the policy
 * keeps them, with TicketErased (reason retention) as the evidence per ticket. One tenant's failure
 * is logged, counted (`RetentionTenantFailures`, alarmed) and left for the next run; the others go on.
 */
export const runRetention =
  (deps: Deps, options: { timeLeftMs?: () => number } = {}) =>
  async (): Promise<RetentionRun> => {
    const asOf = deps.clock();
    const outOfTime = () => (options.timeLeftMs?.() ?? Number.POSITIVE_INFINITY) < 60_000;
    const run: RetentionRun = { asOf: asOf.toISOString(), tenants: 0, erased: 0, failedTenants: [], complete: true };
    for await (const { tenantId } of deps.retentionPolicies.inForce()) {
      let erased: { count: number; complete: boolean } | null;
      try {
        erased = await eraseDueTicketsOf(deps, tenantId, asOf, outOfTime);
      } catch (error) {
        run.failedTenants.push(tenantId);
        deps.logger.error('retention failed for a tenant', { tenantId, error: errorSummary(error) });
        deps.metrics.addMetric('RetentionTenantFailures', MetricUnit.Count, 1);
        continue;
      }
      if (erased === null) continue;
      run.tenants += 1;
      run.erased += erased.count;
      if (!erased.complete) {
        run.complete = false;
        break;
      }
    }
    deps.logger.info('retention run', { ...run });
    deps.metrics.addMetric('RetentionErasures', MetricUnit.Count, run.erased);
    return run;
  };

/** The error's kind and message, not its data: neither names a requester or holds their text. */
const errorSummary = (error: unknown) => (error instanceof Error ? { name: error.name, message: error.message } : { name: typeof error });

/** Null when the tenant's policy is no longer in force. */
async function eraseDueTicketsOf(deps: Deps, tenantId: string, asOf: Date, outOfTime: () => boolean) {
  // The stream, not the projection, says what is in force: a policy switched off a second ago stops here.
  const policy = await loadRetentionPolicy(deps, tenantId);
  return isInForce(policy) ? eraseDueTickets(deps, policy, asOf, outOfTime) : null;
}

async function eraseDueTickets(deps: Deps, policy: RetentionPolicyInForce, asOf: Date, outOfTime: () => boolean) {
  const { tenantId, eraseClosedTicketsAfterDays: retentionDays } = policy;
  const context: CommandContext = {
    tenantId,
    actor: { type: 'system', id: 'retention' },
    correlationId: `retention-${asOf.toISOString()}`,
    causationId: `retention-policy#${tenantId}@${policy.version}`,
  };
  let count = 0;
  let cursor: string | undefined;
  do {
    if (outOfTime()) return { count, complete: false };
    const page = await deps.ticketViews.closedBy({ tenantId, closedBy: closedBy(retentionDays, asOf), limit: parallelism * 4, cursor });
    for (let i = 0; i < page.items.length; i += parallelism) {
      const erased = await Promise.all(
        page.items.slice(i, i + parallelism).map((view) => eraseIfDue(deps, view.id, retentionDays, asOf, context)),
      );
      count += erased.filter(Boolean).length;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { count, complete: true };
}

/** The view found it; the stream decides. A ticket erased already, or not due, is left as it is. */
async function eraseIfDue(deps: Deps, ticketId: string, retentionDays: number, asOf: Date, context: CommandContext): Promise<boolean> {
  const { ticket } = await loadTicket(deps, ticketId, context.tenantId, { open: false });
  if (ticket.erasedAt !== null || !retentionDue(ticket, retentionDays, asOf.toISOString())) return false;
  const { events } = await eraseTicket(deps, ticketId, { reason: 'retention', retentionDays, asOf: asOf.toISOString() }, context);
  return events.length > 0;
}
