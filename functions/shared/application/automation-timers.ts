import { createHash } from 'node:crypto';
import * as z from 'zod';
import { MetricUnit } from '../platform/observability.ts';
import type { Deps } from '../ports/deps.ts';
import { soonest } from '../ports/scheduler.ts';
import { TimerFiredEarly } from './commands.ts';
import { commitTicket } from './ticket-commands.ts';

/**
 * Automations' timers: each AutomationsPlanned gets one one-time schedule per automation, which
 * runs the automation on the ticket at its moment (the ticket decides; a second or stale timer does
 * nothing). After the tenant's automations change, a sweep plans every ticket not closed again.
 */
const automationsPlannedSchema = z.object({
  ticketId: z.string(),
  tenantId: z.string(),
  due: z.array(z.object({ automationId: z.string(), dueAt: z.iso.datetime() })),
});
const automationTimerSchema = z.strictObject({
  kind: z.literal('automation'),
  ticketId: z.string(),
  tenantId: z.string(),
  automationId: z.string(),
  dueAt: z.iso.datetime(),
});
type AutomationTimer = z.infer<typeof automationTimerSchema>;
/** The automations of a tenant changed: every ticket not closed plans its automation timers again. */
const automationSweepSchema = z.strictObject({ kind: z.literal('automation-sweep'), tenantId: z.string() });

/** Scheduler names are at most 64 characters: the automation and its moment are named by a hash. */
const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 20);
const automationTimerName = ({ ticketId, automationId, dueAt }: AutomationTimer) =>
  `automation-${ticketId}-${shortHash(`${automationId}@${dueAt}`)}`;

/** A timer per planned automation; one whose moment moves gets a new timer, and the old one finds the plan changed. */
export async function planAutomationTimers(deps: Deps, detail: unknown) {
  const { ticketId, tenantId, due } = automationsPlannedSchema.parse(detail);
  for (const { automationId, dueAt } of due) {
    const timer: AutomationTimer = { kind: 'automation', ticketId, tenantId, automationId, dueAt };
    await deps.scheduler.scheduleOnce({
      name: automationTimerName(timer),
      // A moment passed (an automation put after its tickets' moments) fires at once.
      at: soonest(new Date(dueAt), deps.clock()),
      target: 'sla-checker',
      payload: timer,
    });
  }
}

const systemContext = (tenantId: string, correlationId: string, causationId: string) => ({
  tenantId,
  actor: { type: 'system' as const, id: 'automations' },
  correlationId,
  causationId,
});

/** An automation's timer: the ticket decides at this instant whether the automation fires (once per planned moment). */
export async function runAutomationTimer(deps: Deps, payload: unknown) {
  const timer = automationTimerSchema.parse(payload);
  if (deps.clock().getTime() < Date.parse(timer.dueAt))
    throw new TimerFiredEarly(`${automationTimerName(timer)} fired before its due time`);
  const { events } = await commitTicket(deps, {
    ticketId: timer.ticketId,
    commands: [{ type: 'RunAutomation', automationId: timer.automationId, dueAt: timer.dueAt }],
    context: systemContext(timer.tenantId, timer.ticketId, automationTimerName(timer)),
  });
  const fired = events.filter((event) => event.type === 'AutomationFired').length;
  if (fired > 0) deps.metrics.addMetric('AutomationsFired', MetricUnit.Count, fired);
}

const sweptStatuses = ['new', 'open', 'pending', 'on_hold', 'solved'] as const;

/** Every ticket of the tenant that is not closed plans its automations again (after they changed). */
export async function sweepAutomations(deps: Deps, payload: unknown) {
  const { tenantId } = automationSweepSchema.parse(payload);
  for (const status of sweptStatuses) {
    let cursor: string | undefined;
    do {
      const page = await deps.ticketViews.queue({ tenantId, status, limit: 100, cursor });
      for (const ticket of page.items) {
        await commitTicket(deps, {
          ticketId: ticket.id,
          commands: [{ type: 'PlanAutomations' }],
          context: systemContext(tenantId, ticket.id, `automation-sweep-${tenantId}`),
        });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}

/** Schedules the sweep that plans the tenant's tickets again: after its automations changed (at version, so once per change). */
export const scheduleAutomationSweep = (deps: Deps, tenantId: string, setupVersion: number) =>
  deps.scheduler.scheduleOnce({
    name: `automation-sweep-${shortHash(tenantId)}-${setupVersion}`,
    at: soonest(deps.clock(), deps.clock()),
    target: 'sla-checker',
    payload: { kind: 'automation-sweep', tenantId },
  });
