import type { SupportSetup } from '../setup/setup.ts';
import type { Ticket } from '../ticket/state.ts';
import { conditionsHold, crossingOf } from './conditions.ts';
import { type Automation, type AutomationCondition, isTimeCondition, type TimeCondition } from './rules.ts';

export interface PlannedAutomation {
  automationId: string;
  dueAt: string;
}

const untimed = (conditions: AutomationCondition[]) => conditions.filter((condition) => !isTimeCondition(condition));

/**
 * The moment the automation becomes true for the ticket, or null if it cannot as the ticket stands:
 * its other conditions must hold now (a change to the ticket plans again), every "more than"
 * crossing has passed by then and no "less than" one has. Each crossing is counted on the clock
 * or in the team's business hours, as the condition says.
 */
export function dueMoment(automation: Automation, ticket: Ticket, setup: SupportSetup, now: Date): Date | null {
  const { all, any } = automation.conditions;
  const timed = all.filter(isTimeCondition);
  const holdsNow = conditionsHold({ all: untimed(all), any }, { before: ticket, ticket, events: [], setup, now });
  if (!holdsNow) return null;
  const crossings = (conditions: TimeCondition[]) => conditions.map((condition) => crossingOf(condition, ticket, setup));
  const after = crossings(timed.filter((condition) => condition.operator.startsWith('greater_than')));
  const before = crossings(timed.filter((condition) => condition.operator.startsWith('less_than')));
  // Every automation has a "more than" condition (events/rule-schemas.ts): it becomes true at a moment.
  if (after.length === 0 || after.includes(null)) return null;
  const due = Math.max(...after.map((d) => d!.getTime()));
  return before.every((deadline) => deadline === null || deadline.getTime() > due) ? new Date(due) : null;
}

/**
 * When each active automation becomes true for the ticket: a timer per entry. One that already
 * fired for that same moment is left out (it stopped matching when it fired, or its actions were
 * refused: either way it does not fire twice for one moment).
 */
export function planAutomations(ticket: Ticket, setup: SupportSetup, now: Date): PlannedAutomation[] {
  if (ticket.status === 'closed' || ticket.erasedAt !== null) return [];
  return Object.values(setup.automations)
    .filter((automation) => automation.active)
    .sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))
    .flatMap((automation) => {
      const due = dueMoment(automation, ticket, setup, now)?.toISOString();
      return due === undefined || ticket.automations.fired[automation.id] === due ? [] : [{ automationId: automation.id, dueAt: due }];
    });
}

export const samePlan = (plan: PlannedAutomation[], due: Record<string, string>): boolean =>
  plan.length === Object.keys(due).length && plan.every(({ automationId, dueAt }) => due[automationId] === dueAt);
