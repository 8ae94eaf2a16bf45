import { type RuleKind, ruleOf } from '../automation/rules.ts';
import type { Caused } from '../decider.ts';
import type { SupportSetup } from '../setup/setup.ts';
import { dueField, type SlaMetric, slaMetrics } from '../sla/vocabulary.ts';
import type { TicketCommand } from '../ticket/commands.ts';
import type { TicketEvent } from '../ticket/events.ts';
import { evolve } from '../ticket/evolve.ts';
import type { Ticket, TicketState } from '../ticket/state.ts';
import { decideAll, replayChange } from '../ticket/unit.ts';
import type { TicketPriority, TicketStatus } from '../ticket/vocabulary.ts';

/** One append of a ticket's stream as recorded: when, and its events, each with its causationId as `causedBy`. */
export interface RecordedChange {
  at: string;
  events: Array<Caused<TicketEvent>>;
}

/** How a ticket ends up under one setup, over the simulated window. */
export interface TicketOutcome {
  status: TicketStatus;
  priority: TicketPriority;
  team: string | null;
  assignee: string | null;
  breaches: Array<{ metric: SlaMetric; dueAt: string }>;
  /** Each SLA target's due time as last planned (null: never targeted). */
  dueAt: Record<SlaMetric, string | null>;
  /** How many changes each trigger acted in, and how many times each automation fired. */
  triggers: Record<string, number>;
  automations: Record<string, number>;
}

/** What the setup decides again: plans, timers' work and what rules did. People's and channels' facts stay as they were. */
const decidedAgain = new Set<TicketEvent['type']>([
  'SlaTargetsSet',
  'AutomationsPlanned',
  'AutomationFired',
  'SlaBreached',
  'TicketEscalated',
]);
const ruleKinds: RuleKind[] = ['trigger', 'automation', 'routing'];
const decidedByRule = (cause: string | undefined) => ruleKinds.some((kind) => ruleOf(cause, kind) !== null);

/**
 * The facts of a recorded change: what requesters, agents (macros included) and channels did. A
 * timer's change (a breach, an automation firing) is left out whole: the setup decides it again.
 */
export function factsOf(change: RecordedChange): Array<Caused<TicketEvent>> {
  if (change.events.some((event) => event.type === 'SlaBreached' || event.type === 'AutomationFired')) return [];
  return change.events.filter((event) => !decidedAgain.has(event.type) && !decidedByRule(event.causedBy));
}

/** Guards a replay against a setup whose timers would keep one ticket busy for ever (each timer runs once anyway). */
const maxTimersPerTicket = 1_000;

interface Replay {
  state: TicketState;
  setup: SupportSetup;
  /** Timers already run (`sla:<metric>@<due>`, `automation:<id>@<due>`): each fires once, as a one-time schedule does. */
  done: Set<string>;
  dueAt: Record<SlaMetric, string | null>;
  triggers: Record<string, number>;
  automations: Record<string, number>;
  timers: number;
}

function apply(replay: Replay, events: Array<Caused<TicketEvent>>, at: Date) {
  const occurredAt = at.toISOString();
  const triggers = new Set<string>();
  for (const event of events) {
    const version = (replay.state?.version ?? 0) + 1;
    replay.state = evolve(replay.state, { ...event, version, occurredAt, tenantId: replay.setup.tenantId, actorId: '' });
    const trigger = ruleOf(event.causedBy, 'trigger');
    if (trigger) triggers.add(trigger);
    if (event.type === 'AutomationFired') count(replay.automations, event.data.automationId);
    if (event.type === 'SlaTargetsSet')
      for (const metric of slaMetrics) replay.dueAt[metric] = event.data[dueField[metric]] ?? replay.dueAt[metric];
  }
  for (const trigger of triggers) count(replay.triggers, trigger);
}

const count = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** The ticket's next timer not run yet: an SLA target coming due, or an automation's moment. */
export function nextTimer(ticket: Ticket, done: Set<string>): { at: number; key: string; command: TicketCommand } | null {
  const timers = [
    ...slaMetrics.flatMap((metric) => {
      const dueAt = ticket.sla?.[dueField[metric]];
      return dueAt
        ? [{ at: Date.parse(dueAt), key: `sla:${metric}@${dueAt}`, command: { type: 'BreachSla', metric, dueAt } as const }]
        : [];
    }),
    ...Object.entries(ticket.automations.due).map(([automationId, dueAt]) => ({
      at: Date.parse(dueAt),
      key: `automation:${automationId}@${dueAt}`,
      command: { type: 'RunAutomation', automationId, dueAt } as const,
    })),
  ].filter((timer) => !done.has(timer.key));
  return timers.reduce<(typeof timers)[number] | null>((first, timer) => (first === null || timer.at < first.at ? timer : first), null);
}

/** Runs the timers that come due before `limit` (at it too, if `inclusive`), each at its moment. */
function runTimers(replay: Replay, limit: number, inclusive: boolean) {
  while (replay.timers < maxTimersPerTicket) {
    const ticket = replay.state;
    if (!ticket || ticket.status === 'closed' || ticket.erasedAt !== null) return;
    const next = nextTimer(ticket, replay.done);
    if (!next || next.at > limit || (next.at === limit && !inclusive)) return;
    replay.done.add(next.key);
    replay.timers++;
    const now = new Date(next.at);
    const decision = decideAll([next.command], ticket, { now, setup: replay.setup });
    if (decision.ok) apply(replay, decision.events, now);
  }
}

/**
 * A ticket's recorded history (its changes up to `until`, in stream order) lived again under
 * `setup`: each change's facts at the moment they happened, with what the setup's routing and
 * rules make of them, and between changes the SLA and automation timers that come due. Null if the
 * ticket was not opened by `until`.
 */
export function replayTicket(changes: RecordedChange[], setup: SupportSetup, until: Date): TicketOutcome | null {
  const replay: Replay = {
    state: null,
    setup,
    done: new Set(),
    dueAt: { firstReply: null, nextReply: null, resolution: null },
    triggers: {},
    automations: {},
    timers: 0,
  };
  for (const change of changes) {
    const at = new Date(change.at);
    if (at > until) break;
    const facts = factsOf(change);
    if (facts.length === 0) continue;
    runTimers(replay, at.getTime(), false);
    apply(replay, replayChange(facts, replay.state, { now: at, setup }), at);
  }
  runTimers(replay, until.getTime(), true);
  const ticket = replay.state;
  if (!ticket) return null;
  return {
    status: ticket.status,
    priority: ticket.priority,
    team: ticket.team,
    assignee: ticket.assignee,
    breaches: (ticket.sla?.breaches ?? []).map(({ metric, dueAt }) => ({ metric, dueAt })),
    dueAt: replay.dueAt,
    triggers: sortedKeys(replay.triggers),
    automations: sortedKeys(replay.automations),
  };
}

const sortedKeys = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
