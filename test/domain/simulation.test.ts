import { describe, expect, it } from 'vitest';
import type { Automation, Trigger } from '../../domain/automation/rules.ts';
import type { Caused } from '../../domain/decider.ts';
import { decideSetup, emptySetup, type SupportSetup } from '../../domain/setup/support-setup.ts';
import { compareTicket, emptyTotals } from '../../domain/simulation/comparison.ts';
import { factsOf, type RecordedChange, replayTicket } from '../../domain/simulation/replay.ts';
import type { SlaPolicy } from '../../domain/sla/vocabulary.ts';
import type { TicketCommand } from '../../domain/ticket/commands.ts';
import type { TicketEvent } from '../../domain/ticket/events.ts';
import { evolve } from '../../domain/ticket/evolve.ts';
import type { TicketState } from '../../domain/ticket/state.ts';
import { decideAll } from '../../domain/ticket/unit.ts';

const opening: TicketCommand = {
  type: 'OpenTicket',
  ticketId: '01JDZ0000000000000000000AA',
  subject: 'Refund',
  description: 'Charged twice',
  channel: 'email',
  requester: { subjectId: 'S1', email: 'anna@example.de', name: 'Anna Schmidt', country: 'DE', locale: 'de-DE' },
  priority: 'normal',
  tags: [],
  language: 'de',
  fields: {},
  requiredFieldsApply: false,
  region: 'eu-central-1',
  residency: {},
} as TicketCommand;
const agentReplies: TicketCommand = {
  type: 'AddMessage',
  messageId: 'm-a',
  from: 'agent',
  authorId: 'agent-1',
  body: 'On it',
  public: true,
  language: null,
};
const solves: TicketCommand[] = [
  { type: 'Assign', assignee: 'agent-1', team: null } as TicketCommand,
  { type: 'ChangeStatus', to: 'solved' } as TicketCommand,
];

const policy = (firstReply: string): SlaPolicy => ({
  id: 'standard',
  name: 'Standard',
  rank: 1,
  match: {},
  targets: { firstReply, resolution: 'PT24H' },
  businessHours: false,
  onBreach: { raisePriority: true, handOff: false },
});
const setupWith = (parts: Partial<SupportSetup>): SupportSetup => ({ ...emptySetup('acme'), ...parts });
const at = (hours: number) => new Date(Date.parse('2026-11-30T09:00:00Z') + hours * 3_600_000);

/**
 * Lives a ticket as the recorded system would (each step decided and "appended" at its time,
 * timers fired at their due times in between) and answers its history as recorded changes.
 */
function record(
  setup: SupportSetup,
  steps: Array<[hours: number, ...commands: TicketCommand[]]>,
  timers: Array<[hours: number, TicketCommand]> = [],
) {
  let ticket: TicketState = null;
  const changes: RecordedChange[] = [];
  const all = [
    ...steps.map(([h, ...c]) => ({ h, commands: c, timer: false })),
    ...timers.map(([h, c]) => ({ h, commands: [c], timer: true })),
  ].sort((a, b) => a.h - b.h);
  for (const { h, commands, timer } of all) {
    const decision = decideAll(commands, ticket, { now: at(h), setup });
    if (!decision.ok) throw new Error(decision.error.code);
    for (const event of decision.events)
      ticket = evolve(ticket, {
        ...event,
        version: (ticket?.version ?? 0) + 1,
        occurredAt: at(h).toISOString(),
        tenantId: 'acme',
        actorId: 'a',
      });
    // A timer's change records the timer's name as cause; a request's events without a rule record the request.
    if (decision.events.length > 0)
      changes.push({
        at: at(h).toISOString(),
        events: decision.events.map((e) => ({ ...e, causedBy: e.causedBy ?? (timer ? 'sla-timer' : 'request') })),
      });
  }
  return { changes, ticket: ticket! };
}

describe('what if: a recorded history lived again under a setup', () => {
  it('keeps what people did and drops what rules, plans and timers decided', () => {
    const change: RecordedChange = {
      at: at(0).toISOString(),
      events: [
        { type: 'TagsSet', data: { tags: ['x'] }, causedBy: 'request' },
        { type: 'PriorityChanged', data: { from: 'normal', to: 'high' }, causedBy: 'trigger:vip' },
        { type: 'TicketAssigned', data: { assignee: null, team: 't' }, causedBy: 'routing:r' },
        { type: 'StatusChanged', data: { from: 'open', to: 'pending' }, causedBy: 'macro:wait' },
        { type: 'AutomationsPlanned', data: { due: [] }, causedBy: 'request' },
      ] as Array<Caused<TicketEvent>>,
    };
    expect(factsOf(change).map((e) => e.type)).toEqual(['TagsSet', 'StatusChanged']);
    const breach: RecordedChange = {
      at: at(1).toISOString(),
      events: [
        { type: 'SlaBreached', data: { metric: 'firstReply', dueAt: at(1).toISOString() }, causedBy: 'sla-timer' },
        { type: 'PriorityChanged', data: { from: 'normal', to: 'high' }, causedBy: 'sla-timer' },
      ] as Array<Caused<TicketEvent>>,
    };
    expect(factsOf(breach)).toEqual([]);
  });

  it('given the setup it was recorded under, ends as the ticket did', () => {
    const setup = setupWith({ slaPolicies: { standard: policy('PT1H') } });
    const { changes, ticket } = record(
      setup,
      [
        [0, opening],
        [3, agentReplies],
        [5, ...solves],
      ],
      [[1, { type: 'BreachSla', metric: 'firstReply', dueAt: at(1).toISOString() }]],
    );
    expect(ticket.sla?.breaches).toHaveLength(1);
    const outcome = replayTicket(changes, setup, at(6))!;
    expect(outcome).toMatchObject({ status: ticket.status, priority: ticket.priority, team: ticket.team, assignee: ticket.assignee });
    expect(outcome.breaches).toEqual(ticket.sla!.breaches.map(({ metric, dueAt }) => ({ metric, dueAt })));
  });

  it('when the draft tightens the first-reply target, a slow reply breaches, raises the priority, and is counted', () => {
    const baseline = setupWith({ slaPolicies: { standard: policy('PT4H') } });
    const draft = setupWith({ slaPolicies: { standard: policy('PT1H') } });
    const { changes } = record(baseline, [
      [0, opening],
      [3, agentReplies],
      [5, ...solves],
    ]);
    const before = replayTicket(changes, baseline, at(6))!;
    const after = replayTicket(changes, draft, at(6))!;
    expect(before.breaches).toEqual([]);
    expect(after.breaches).toEqual([{ metric: 'firstReply', dueAt: at(1).toISOString() }]);
    expect(after.priority).toBe('high');
    expect(after.dueAt.firstReply).toBe(at(1).toISOString());
    expect(before.dueAt.firstReply).toBe(at(4).toISOString());
    const totals = emptyTotals();
    const difference = compareTicket(totals, { ticketId: 'T', events: 9 }, before, after);
    expect(difference?.changed).toEqual(['priority', 'breaches', 'dueAt']);
    expect(totals).toMatchObject({
      tickets: 1,
      events: 9,
      ticketsChanged: 1,
      breaches: { baseline: { firstReply: 0 }, draft: { firstReply: 1 } },
    });
    expect(compareTicket(totals, { ticketId: 'U', events: 9 }, before, before)).toBeNull();
    expect(totals.ticketsChanged).toBe(1);
  });

  it('when the recorded history has a breach the draft would not have, the breach is not replayed', () => {
    const strict = setupWith({ slaPolicies: { standard: policy('PT1H') } });
    const lenient = setupWith({ slaPolicies: { standard: policy('PT4H') } });
    const { changes } = record(
      strict,
      [
        [0, opening],
        [3, agentReplies],
      ],
      [[1, { type: 'BreachSla', metric: 'firstReply', dueAt: at(1).toISOString() }]],
    );
    const outcome = replayTicket(changes, lenient, at(4))!;
    expect(outcome.breaches).toEqual([]);
    expect(outcome.priority).toBe('normal');
  });

  it('when the draft adds a trigger and an automation, they act where they would have, each automation once', () => {
    const urgent: Trigger = {
      id: 'email-high',
      title: 'Email is high',
      position: 1,
      active: true,
      conditions: { all: [{ field: 'update_type', operator: 'is', value: 'create' }], any: [] },
      actions: [{ field: 'priority', value: 'high' }],
    };
    const nudge: Automation = {
      id: 'nudge',
      title: 'Nudge',
      position: 1,
      active: true,
      conditions: {
        all: [
          { field: 'hours_since_created', operator: 'greater_than', value: 2 },
          { field: 'tags', operator: 'not_includes', value: ['nudged'] },
        ],
        any: [],
      },
      actions: [{ field: 'add_tags', value: ['nudged'] }],
    };
    const baseline = setupWith({});
    const { changes } = record(baseline, [
      [0, opening],
      [3, agentReplies],
    ]);
    // Both are rules their PUTs take (the automation stops matching once it fired).
    for (const command of [
      { type: 'PutTrigger', trigger: urgent },
      { type: 'PutAutomation', automation: nudge },
    ] as const)
      expect(decideSetup(command, baseline).ok).toBe(true);
    const drafted = setupWith({ triggers: { [urgent.id]: urgent }, automations: { [nudge.id]: nudge } });
    const outcome = replayTicket(changes, drafted, at(10))!;
    expect(outcome.triggers).toEqual({ 'email-high': 1 });
    expect(outcome.automations).toEqual({ nudge: 1 });
    expect(outcome.priority).toBe('high');
    expect(replayTicket(changes, baseline, at(10))).toMatchObject({ triggers: {}, automations: {}, priority: 'normal' });
  });

  it('given a window that ends before the ticket was opened, there is no outcome; timers stop at the window end', () => {
    const setup = setupWith({ slaPolicies: { standard: policy('PT4H') } });
    const { changes } = record(setup, [[0, opening]]);
    expect(replayTicket(changes, setup, at(-1))).toBeNull();
    expect(replayTicket(changes, setup, at(3))!.breaches).toEqual([]);
    expect(replayTicket(changes, setup, at(4))!.breaches).toEqual([{ metric: 'firstReply', dueAt: at(4).toISOString() }]);
  });
});
