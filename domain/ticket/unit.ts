import { type ActionAuthor, actionCommands } from '../automation/actions.ts';
import { conditionsHold, type RuleMoment } from '../automation/conditions.ts';
import { planAutomations, samePlan } from '../automation/plan.ts';
import { causeOf, type MacroAction } from '../automation/rules.ts';
import { accept, type Caused, type Decider, refuse } from '../decider.ts';
import { routeTicket, slaChange } from '../sla/sla.ts';
import type { RunAutomation, TicketCommand } from './commands.ts';
import { decide, routedTo, type TicketContext, type TicketDecision } from './decide.ts';
import type { TicketError } from './errors.ts';
import type { TicketEvent } from './events.ts';
import { evolve } from './evolve.ts';
import type { Ticket, TicketState } from './state.ts';

/** The events of a unit so far and the ticket they leave; applying decides nothing more. */
interface Work {
  readonly before: TicketState;
  current: TicketState;
  events: Array<Caused<TicketEvent>>;
}

function applyEvent(work: Work, event: Caused<TicketEvent>, occurredAt: string) {
  const version = (work.current?.version ?? 0) + 1;
  work.current = evolve(work.current, { ...event, version, occurredAt, tenantId: work.current?.tenantId ?? '', actorId: '' });
  work.events.push(event);
}

/** Decides commands in order against the ticket as each leaves it, and applies them all, or none and says why. */
function decideInto(work: Work, commands: TicketCommand[], context: TicketContext, causedBy?: string): TicketError | null {
  const trial: Work = { before: work.before, current: work.current, events: [] };
  const occurredAt = context.now.toISOString();
  for (const command of commands) {
    const decision = decide(command, trial.current, context);
    if (!decision.ok) return decision.error;
    for (const event of decision.events) applyEvent(trial, causedBy ? { ...event, causedBy } : event, occurredAt);
  }
  for (const event of trial.events) applyEvent(work, event, occurredAt);
  return null;
}

const actionsOf = (work: Work, ticket: Ticket, actions: readonly MacroAction[], author: ActionAuthor, context: TicketContext) =>
  decideInto(work, actionCommands(actions, ticket, author), context, author.cause);

const moment = (work: Work, ticket: Ticket, context: TicketContext): RuleMoment => ({
  before: work.before,
  ticket,
  events: work.events,
  setup: context.setup,
  now: context.now,
});

/**
 * An automation's timer: it fires if the ticket still plans it for that moment and its conditions
 * hold now. A second or late delivery of the same timer finds the plan moved on and does nothing.
 */
function runAutomation(work: Work, { automationId, dueAt }: RunAutomation, context: TicketContext) {
  const ticket = work.current;
  if (!ticket || ticket.erasedAt !== null || ticket.status === 'closed' || ticket.automations.due[automationId] !== dueAt) return;
  const automation = context.setup.automations[automationId];
  if (!automation?.active || !conditionsHold(automation.conditions, moment(work, ticket, context))) return;
  const cause = causeOf('automation', automationId);
  applyEvent(work, { type: 'AutomationFired', data: { automationId, dueAt }, causedBy: cause }, context.now.toISOString());
  // Fired even if the ticket refuses an action (a solve without assignee): the plan moves on, no loop.
  actionsOf(work, ticket, automation.actions, { cause, authorId: cause }, context);
}

/**
 * Triggers, lowest position first, on the change so far: as in Zendesk, when one fires the round
 * starts again from the top with the ticket it left, and each fires at most once per change, so a
 * trigger's changes may fire later ones but never loop. One whose actions the ticket refuses is skipped.
 */
function runTriggers(work: Work, context: TicketContext) {
  const triggers = Object.values(context.setup.triggers)
    .filter((trigger) => trigger.active)
    .sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
  const fired = new Set<string>();
  let firing = true;
  while (firing) {
    firing = false;
    for (const trigger of triggers) {
      const ticket = work.current;
      if (!ticket || fired.has(trigger.id) || !conditionsHold(trigger.conditions, moment(work, ticket, context))) continue;
      fired.add(trigger.id);
      const cause = causeOf('trigger', trigger.id);
      actionsOf(work, ticket, trigger.actions, { cause, authorId: cause }, context);
      firing = true;
      break;
    }
  }
}

const replans = (command: TicketCommand) => command.type === 'PlanAutomations' || command.type === 'RunAutomation';

/**
 * Decides several commands as one unit of work, each against the state the previous ones left
 * (a PATCH that assigns and solves; a macro's actions). The first refusal refuses the whole unit.
 * Then the rules act on the change (settle).
 */
export function decideAll(commands: TicketCommand[], state: TicketState, context: TicketContext): TicketDecision {
  const { setup } = context;
  const work: Work = { before: state, current: state, events: [] };
  for (const command of commands) {
    if (command.type === 'RunAutomation') runAutomation(work, command, context);
    else if (command.type === 'ApplyMacro') {
      const macro = setup.macros[command.macroId];
      if (!work.current) return refuse({ code: 'ticket_not_found' });
      if (!macro) return refuse({ code: 'macro_not_found' });
      const refusal = actionsOf(
        work,
        work.current,
        macro.actions,
        { cause: causeOf('macro', macro.id), authorId: command.agentId },
        context,
      );
      if (refusal) return refuse(refusal);
    } else {
      const refusal = decideInto(work, [command], context);
      if (refusal) return refuse(refusal);
    }
  }
  settle(work, context, commands.some(replans));
  return accept(work.events);
}

/**
 * What the rules make of a change: the tenant's triggers run on it, the SLA clocks are planned
 * again from the ticket's history, and each automation's next moment; all in the same append.
 */
function settle(work: Work, context: TicketContext, replan: boolean) {
  const { setup } = context;
  const occurredAt = context.now.toISOString();
  const ticket = (): Ticket | null => (work.current?.erasedAt === null ? work.current : null);
  if (work.events.length > 0 && ticket()) runTriggers(work, context);
  const current = ticket();
  if (work.events.length > 0 && current) {
    const sla = slaChange(current, setup);
    if (sla) applyEvent(work, { type: 'SlaTargetsSet', data: sla }, occurredAt);
  }
  const planned = ticket();
  if (planned && (work.events.length > 0 || replan)) {
    const due = planAutomations(planned, setup, context.now);
    if (!samePlan(due, planned.automations.due)) applyEvent(work, { type: 'AutomationsPlanned', data: { due } }, occurredAt);
  }
}

/**
 * A change that happened (what people and channels did, as recorded), taken again under a setup:
 * the facts as they were, then what that setup's routing and rules make of them. For "what if".
 */
export function replayChange(facts: Array<Caused<TicketEvent>>, state: TicketState, context: TicketContext): Array<Caused<TicketEvent>> {
  const work: Work = { before: state, current: state, events: [] };
  for (const fact of facts) applyEvent(work, fact, context.now.toISOString());
  const opened = work.current;
  if (opened && facts.some((fact) => fact.type === 'TicketOpened')) {
    const route = routeTicket(context.setup, opened);
    if (route) applyEvent(work, routedTo(route), context.now.toISOString());
  }
  settle(work, context, false);
  return work.events;
}

/** The ticket as a decider: it decides a unit of work (one or more commands), e.g. a PATCH that assigns and solves. */
export const ticketDecider: Decider<TicketState, TicketCommand[], TicketEvent, TicketError, TicketContext> = {
  initialState: () => null,
  decide: decideAll,
  evolve,
};
