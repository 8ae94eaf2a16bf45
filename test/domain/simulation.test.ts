import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Automation, Trigger } from '../../domain/automation/rules.ts';
import type { Caused } from '../../domain/decider.ts';
import { decideSetup, emptySetup, type SupportSetup } from '../../domain/setup/support-setup.ts';
import { compareTicket, emptyTotals } from '../../domain/simulation/comparison.ts';
import { factsOf, type RecordedChange, replayTicket } from '../../domain/simulation/replay.ts';
import type { SlaPolicy } from '../../domain/sla/vocabulary.ts';
import type { TicketCommand } from '../../domain/ticket/commands.ts';
import type { TicketEvent } from '../../domain/ticket/events.ts';
import { opening as openingOf } from '../support/ticket-commands.ts';
import { liveTicket } from '../support/ticket-lives.ts';

const opening = openingOf('01JDZ0000000000000000000AA', 'S1', { channel: 'email' });
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
/** Tags a ticket `nudged` once `field` passes `hours`: it stops matching when it fired. */
const nudgeAfter = (field: 'hours_since_created' | 'hours_since_pending', hours: number): Automation => ({
  id: 'nudge',
  title: 'Nudge',
  position: 1,
  active: true,
  conditions: {
    all: [
      { field, operator: 'greater_than', value: hours },
      { field: 'tags', operator: 'not_includes', value: ['nudged'] },
    ],
    any: [],
  },
  actions: [{ field: 'add_tags', value: ['nudged'] }],
});
const setupWith = (parts: Partial<SupportSetup>): SupportSetup => ({ ...emptySetup('acme'), ...parts });
const at = (hours: number) => new Date(Date.parse('2026-11-30T09:00:00Z') + hours * 3_600_000);

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
    const { changes, ticket } = live(
      setup,
      [
        [0, opening],
        [3, agentReplies],
        [5, ...solves],
      ],
      at(6),
    );
    expect(ticket.sla?.breaches).toHaveLength(1);
    const outcome = replayTicket(changes, setup, at(6))!;
    expect(outcome).toMatchObject({ status: ticket.status, priority: ticket.priority, team: ticket.team, assignee: ticket.assignee });
    expect(outcome.breaches).toEqual(ticket.sla!.breaches.map(({ metric, dueAt }) => ({ metric, dueAt })));
  });

  it('when the draft tightens the first-reply target, a slow reply breaches, raises the priority, and is counted', () => {
    const baseline = setupWith({ slaPolicies: { standard: policy('PT4H') } });
    const draft = setupWith({ slaPolicies: { standard: policy('PT1H') } });
    const { changes } = live(
      baseline,
      [
        [0, opening],
        [3, agentReplies],
        [5, ...solves],
      ],
      at(6),
    );
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
    const { changes } = live(
      strict,
      [
        [0, opening],
        [3, agentReplies],
      ],
      at(4),
    );
    expect(changes.some((change) => change.events.some((event) => event.type === 'SlaBreached'))).toBe(true);
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
    const nudge = nudgeAfter('hours_since_created', 2);
    const baseline = setupWith({});
    const { changes } = live(
      baseline,
      [
        [0, opening],
        [3, agentReplies],
      ],
      at(3),
    );
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
    const { changes } = live(setup, [[0, opening]], at(0));
    expect(replayTicket(changes, setup, at(-1))).toBeNull();
    expect(replayTicket(changes, setup, at(3))!.breaches).toEqual([]);
    expect(replayTicket(changes, setup, at(4))!.breaches).toEqual([{ metric: 'firstReply', dueAt: at(4).toISOString() }]);
  });
});

describe('what if: replay under the recorded setup is the recorded history', () => {
  const slow: SlaPolicy = { ...policy('PT2H'), targets: { firstReply: 'PT2H', nextReply: 'PT4H', resolution: 'PT30H' } };
  const pendingNudge = nudgeAfter('hours_since_pending', 6);
  const chatHigh: Trigger = {
    id: 'chat-high',
    title: 'Chat',
    position: 1,
    active: true,
    conditions: {
      all: [
        { field: 'channel', operator: 'is', value: 'chat' },
        { field: 'priority', operator: 'is', value: 'normal' },
      ],
      any: [],
    },
    actions: [{ field: 'priority', value: 'high' }],
  };
  const setup = setupWith({ slaPolicies: { standard: slow }, automations: { nudge: pendingNudge }, triggers: { [chatHigh.id]: chatHigh } });
  const step = fc.oneof(
    fc.constant<TicketCommand[]>([agentReplies]),
    fc.constant<TicketCommand[]>([{ ...agentReplies, from: 'requester', authorId: 'requester' } as TicketCommand]),
    fc.constant<TicketCommand[]>([{ type: 'ChangeStatus', to: 'pending' } as TicketCommand]),
    fc.constant<TicketCommand[]>([{ type: 'ChangeStatus', to: 'open' } as TicketCommand]),
    fc.constant<TicketCommand[]>(solves),
  );

  it('for any life of a ticket (replies, pending spells, solves; breaches and automations at their timers)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('email', 'chat'),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 20 * 60 }), step), { maxLength: 8 }),
        (channel, life) => {
          let hours = 0;
          const steps: Array<[number, ...TicketCommand[]]> = [[0, { ...opening, channel } as TicketCommand]];
          for (const [minutes, commands] of life) steps.push([(hours += minutes / 60), ...commands]);
          const { changes, ticket } = live(setup, steps, at(hours + 40));
          const outcome = replayTicket(changes, setup, at(hours + 40))!;
          expect(outcome).toMatchObject({ status: ticket.status, priority: ticket.priority, team: ticket.team, assignee: ticket.assignee });
          expect(outcome.breaches).toEqual(ticket.sla?.breaches.map(({ metric, dueAt }) => ({ metric, dueAt })) ?? []);
          expect(ticket.tags).toEqual(outcome.automations.nudge ? ['nudged'] : []);
        },
      ),
      { numRuns: 300, seed: 20261207 },
    );
  });
});

/** A ticket lived under `setup` (test/support/ticket-lives.ts), its steps given in hours after `at(0)`. */
function live(setup: SupportSetup, steps: Array<[hours: number, ...commands: TicketCommand[]]>, until: Date) {
  const { changes, ticket } = liveTicket(
    setup,
    steps.map(([hours, ...commands]) => [at(hours), commands]),
    until,
  );
  return { changes, ticket: ticket! };
}
