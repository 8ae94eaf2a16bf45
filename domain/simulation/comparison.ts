import { type SlaMetric, slaMetrics } from '../sla/vocabulary.ts';
import type { TicketOutcome } from './replay.ts';

export type OutcomeAspect = keyof TicketOutcome;
export const outcomeAspects = [
  'status',
  'priority',
  'team',
  'assignee',
  'breaches',
  'dueAt',
  'triggers',
  'automations',
] as const satisfies readonly OutcomeAspect[];

/** A ticket that ends differently under the draft: in which aspects, and both outcomes. */
export interface TicketDifference {
  ticketId: string;
  changed: OutcomeAspect[];
  baseline: TicketOutcome;
  draft: TicketOutcome;
}

type Side<T> = { baseline: T; draft: T };

/** The whole window: how many tickets and recorded events were replayed, and what differs in sum. */
export interface SimulationTotals {
  tickets: number;
  events: number;
  ticketsChanged: number;
  /** Tickets per aspect that differs. */
  changed: Record<OutcomeAspect, number>;
  breaches: Side<Record<SlaMetric, number>>;
  triggerFirings: Side<Record<string, number>>;
  automationFirings: Side<Record<string, number>>;
}

export const emptyTotals = (): SimulationTotals => ({
  tickets: 0,
  events: 0,
  ticketsChanged: 0,
  changed: Object.fromEntries(outcomeAspects.map((aspect) => [aspect, 0])) as Record<OutcomeAspect, number>,
  breaches: { baseline: noBreaches(), draft: noBreaches() },
  triggerFirings: { baseline: {}, draft: {} },
  automationFirings: { baseline: {}, draft: {} },
});
const noBreaches = () => Object.fromEntries(slaMetrics.map((metric) => [metric, 0])) as Record<SlaMetric, number>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Adds one ticket's two outcomes to the totals; its difference, or null if it ends the same. */
export function compareTicket(
  totals: SimulationTotals,
  ticket: { ticketId: string; events: number },
  baseline: TicketOutcome,
  draft: TicketOutcome,
): TicketDifference | null {
  totals.tickets++;
  totals.events += ticket.events;
  for (const [side, outcome] of [
    ['baseline', baseline],
    ['draft', draft],
  ] as const) {
    for (const breach of outcome.breaches) totals.breaches[side][breach.metric]++;
    add(totals.triggerFirings[side], outcome.triggers);
    add(totals.automationFirings[side], outcome.automations);
  }
  const changed = outcomeAspects.filter((aspect) => !same(baseline[aspect], draft[aspect]));
  if (changed.length === 0) return null;
  totals.ticketsChanged++;
  for (const aspect of changed) totals.changed[aspect]++;
  return { ticketId: ticket.ticketId, changed, baseline, draft };
}

function add(sum: Record<string, number>, counts: Record<string, number>) {
  for (const [key, n] of Object.entries(counts)) sum[key] = (sum[key] ?? 0) + n;
}
