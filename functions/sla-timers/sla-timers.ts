import * as z from 'zod';
import { dueField, slaMetrics } from '../../domain/sla/vocabulary.ts';
import type { DeliveredEvent } from '../../events/bus-rules.ts';
import { planAutomationTimers, runAutomationTimer, sweepAutomations } from '../shared/application/automation-timers.ts';
import { TimerFiredEarly } from '../shared/application/commands.ts';
import { runSimulationJob } from '../shared/application/simulations.ts';
import { commitTicket } from '../shared/application/ticket-commands.ts';
import { MetricUnit } from '../shared/platform/observability.ts';
import type { Deps } from '../shared/ports/deps.ts';

const due = z.iso.datetime().nullable();
const targetsSetSchema = z.object({
  ticketId: z.string(),
  tenantId: z.string(),
  firstReplyDueAt: due,
  nextReplyDueAt: due,
  resolutionDueAt: due,
});
export const slaTimerSchema = z.strictObject({
  ticketId: z.string(),
  tenantId: z.string(),
  metric: z.enum(slaMetrics),
  dueAt: z.iso.datetime(),
});
export type SlaTimer = z.infer<typeof slaTimerSchema>;
const simulationJobSchema = z.strictObject({ kind: z.literal('simulation'), tenantId: z.string(), simulationId: z.string() });
const timerName = ({ ticketId, metric, dueAt }: SlaTimer) => `sla-${ticketId}-${metric}-${Date.parse(dueAt)}`;

/**
 * The SlaTimers rule's target: one one-time schedule per due time. A due time that moves gets a
 * new schedule; the old one fires, finds the target changed, and does nothing.
 */
export const planSlaTimers = (deps: Deps) => async (event: DeliveredEvent) => {
  if (event['detail-type'] === 'AutomationsPlanned') return planAutomationTimers(deps, event.detail);
  const targets = targetsSetSchema.parse(event.detail);
  for (const metric of slaMetrics) {
    const dueAt = targets[dueField[metric]];
    if (dueAt === null) continue;
    const timer: SlaTimer = { ticketId: targets.ticketId, tenantId: targets.tenantId, metric, dueAt };
    await deps.scheduler.scheduleOnce({ name: timerName(timer), at: new Date(dueAt), target: 'sla-checker', payload: timer });
  }
};

/**
 * What a one-time schedule fires: an SLA timer (below), an automation's timer or sweep, or a
 * simulation job. For an SLA timer the ticket decides, at this instant, whether the target is breached (and
 * then escalates). A timer early by the clock fails, so the scheduler tries it again.
 */
export const checkSlaTimer = (deps: Deps) => async (payload: unknown) => {
  const kind = (payload as { kind?: unknown }).kind;
  if (kind === 'automation') return runAutomationTimer(deps, payload);
  if (kind === 'automation-sweep') return sweepAutomations(deps, payload);
  if (kind === 'simulation') return runSimulationJob(deps, simulationJobSchema.parse(payload));
  const timer = slaTimerSchema.parse(payload);
  const now = deps.clock();
  if (now.getTime() < Date.parse(timer.dueAt)) throw new TimerFiredEarly(`${timerName(timer)} fired before its due time`);
  const { events } = await commitTicket(deps, {
    ticketId: timer.ticketId,
    commands: [{ type: 'BreachSla', metric: timer.metric, dueAt: timer.dueAt }],
    context: {
      tenantId: timer.tenantId,
      actor: { type: 'system', id: 'sla-checker' },
      correlationId: timer.ticketId,
      causationId: timerName(timer),
    },
  });
  const breaches = events.filter((event) => event.type === 'SlaBreached').length;
  if (breaches > 0) deps.metrics.addMetric('SlaBreaches', MetricUnit.Count, breaches);
};
