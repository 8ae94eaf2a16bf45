import { describe, expect, it } from 'vitest';
import type { Action, Automation, Macro, Trigger, TriggerCondition } from '../../domain/automation/rules.ts';
import { stopsMatching } from '../../domain/automation/validation.ts';
import { weekdays } from '../../domain/calendar/calendar.ts';
import type { Caused } from '../../domain/decider.ts';
import { decideSetup, emptySetup, type SupportSetup } from '../../domain/setup/support-setup.ts';
import type { TicketCommand } from '../../domain/ticket/commands.ts';
import type { TicketEvent } from '../../domain/ticket/events.ts';
import { evolve } from '../../domain/ticket/evolve.ts';
import type { Ticket, TicketState } from '../../domain/ticket/state.ts';
import { decideAll } from '../../domain/ticket/unit.ts';
import { automationSchema, triggerSchema } from '../../events/rule-schemas.ts';

const opening = (overrides: Record<string, unknown> = {}): TicketCommand =>
  ({
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
    ...overrides,
  }) as TicketCommand;
const requesterWrites: TicketCommand = {
  type: 'AddMessage',
  messageId: 'm-r',
  from: 'requester',
  authorId: 'requester',
  body: 'Any news?',
  public: true,
  language: null,
};
const agentNote: TicketCommand = { ...requesterWrites, messageId: 'm-a', from: 'agent', authorId: 'agent-1', public: false };

const trigger = (id: string, position: number, conditions: Partial<Trigger['conditions']>, actions: Action[]): Trigger => ({
  id,
  title: id,
  position,
  active: true,
  conditions: { all: [], any: [], ...conditions },
  actions,
});
const officeHours = {
  id: 'berlin',
  name: 'Berlin',
  timeZone: 'Europe/Berlin',
  hours: Object.fromEntries(weekdays.slice(0, 5).map((day) => [day, [['09:00', '17:00']]])),
  holidays: [],
  specialHours: [],
};
const setupWith = (parts: Partial<Pick<SupportSetup, 'triggers' | 'automations' | 'macros' | 'slaPolicies'>> = {}): SupportSetup => ({
  ...emptySetup('acme'),
  calendars: { berlin: officeHours },
  teams: { tier2: { id: 'tier2', name: 'Tier 2', calendarId: 'berlin', escalatesTo: [] } },
  ticketFields: { plan: { key: 'plan', title: 'Plan', type: 'dropdown', options: ['free', 'pro'], required: false, personalData: false } },
  ...parts,
});
const triggers = (...list: Trigger[]) => Object.fromEntries(list.map((t) => [t.id, t]));

/** Monday 2026-11-30 10:00 Berlin. */
const monday = new Date('2026-11-30T09:00:00Z');

/** Decides each step at its time against what the previous steps left; answers the last step's decision. */
function run(setup: SupportSetup, ...steps: Array<[at: Date, ...commands: TicketCommand[]]>) {
  let ticket: TicketState = null;
  let decision: ReturnType<typeof decideAll> = { ok: true, events: [] };
  for (const [at, ...commands] of steps) {
    decision = decideAll(commands, ticket, { now: at, setup });
    if (!decision.ok) return { decision, ticket };
    decision.events.forEach((event, i) => {
      ticket = evolve(ticket, {
        ...event,
        version: (ticket?.version ?? 0) + 1,
        occurredAt: at.toISOString(),
        tenantId: 'acme',
        actorId: 'x',
      });
      void i;
    });
  }
  return { decision, ticket: ticket as Ticket | null, events: decision.ok ? (decision.events as Array<Caused<TicketEvent>>) : [] };
}
const later = (hours: number) => new Date(monday.getTime() + hours * 3_600_000);
const causes = (events: Array<Caused<TicketEvent>>) => events.filter((e) => e.causedBy).map((e) => `${e.type}<-${e.causedBy}`);

describe('triggers', () => {
  it('fire in the change that opens the ticket, and each event names the trigger', () => {
    const setup = setupWith({
      triggers: triggers(
        trigger(
          'vip',
          0,
          {
            all: [
              { field: 'update_type', operator: 'is', value: 'create' },
              { field: 'tags', operator: 'includes', value: ['vip', 'gold'] },
            ],
          },
          [
            { field: 'priority', value: 'urgent' },
            { field: 'add_tags', value: ['fast-lane'] },
          ],
        ),
      ),
    });
    const { events, ticket } = run(setup, [monday, opening({ tags: ['gold'] })]);
    expect(causes(events!)).toEqual(['PriorityChanged<-trigger:vip', 'TagsSet<-trigger:vip']);
    expect(ticket).toMatchObject({ priority: 'urgent', tags: ['gold', 'fast-lane'] });
    expect(run(setup, [monday, opening({ tags: ['bronze'] })]).ticket).toMatchObject({ priority: 'normal' });
  });

  it('run lowest position first, and start again from the top after one fires', () => {
    // "route" (position 0) needs the priority that "escalate" (position 1) sets: it fires on the second round.
    const setup = setupWith({
      triggers: triggers(
        trigger('route', 0, { all: [{ field: 'priority', operator: 'is', value: 'urgent' }] }, [{ field: 'team', value: 'tier2' }]),
        trigger('escalate', 1, { all: [{ field: 'tags', operator: 'includes', value: ['vip'] }] }, [
          { field: 'priority', value: 'urgent' },
        ]),
      ),
    });
    const { events } = run(setup, [monday, opening({ tags: ['vip'] })]);
    expect(causes(events!)).toEqual(['PriorityChanged<-trigger:escalate', 'TicketAssigned<-trigger:route']);
  });

  it('never loop: each fires at most once per change, even when they undo each other', () => {
    const setup = setupWith({
      triggers: triggers(
        trigger('lower', 0, { all: [{ field: 'priority', operator: 'is', value: 'high' }] }, [{ field: 'priority', value: 'low' }]),
        trigger('raise', 1, { all: [{ field: 'priority', operator: 'is', value: 'low' }] }, [{ field: 'priority', value: 'high' }]),
        trigger('note', 2, { all: [{ field: 'status', operator: 'is', value: 'new' }] }, [
          { field: 'internal_note', value: { body: 'seen', translations: {} } },
        ]),
      ),
    });
    const { events, ticket } = run(setup, [monday, opening({ priority: 'high' })]);
    expect(causes(events!)).toEqual(['PriorityChanged<-trigger:lower', 'PriorityChanged<-trigger:raise', 'MessageAdded<-trigger:note']);
    expect(ticket).toMatchObject({ priority: 'high', messageCount: 1 });
  });

  it('skip an inactive trigger, and one whose actions the ticket refuses', () => {
    const setup = setupWith({
      triggers: triggers(
        {
          ...trigger('off', 0, { all: [{ field: 'update_type', operator: 'is', value: 'create' }] }, [{ field: 'priority', value: 'low' }]),
          active: false,
        },
        // Solving needs an assignee: refused, so none of this trigger's actions apply.
        trigger('solve', 1, { all: [{ field: 'update_type', operator: 'is', value: 'create' }] }, [
          { field: 'add_tags', value: ['auto'] },
          { field: 'status', value: 'solved' },
        ]),
      ),
    });
    const { events } = run(setup, [monday, opening()]);
    expect(causes(events!)).toEqual([]);
  });

  const when = (condition: TriggerCondition) =>
    setupWith({
      triggers: triggers(trigger('t', 0, { all: [condition] }, [{ field: 'internal_note', value: { body: 'hit', translations: {} } }])),
    });
  /** Whether the trigger fired on the last step. */
  const hits = (setup: SupportSetup, ...steps: Array<[Date, ...TicketCommand[]]>) =>
    run(setup, ...steps).events!.some((event) => event.causedBy === 'trigger:t');

  it.each<[string, TriggerCondition, boolean]>([
    ['status changed to solved', { field: 'status', operator: 'value', value: 'solved' }, true],
    ['status changed from open', { field: 'status', operator: 'value_previous', value: 'open' }, true],
    ['status changed from new', { field: 'status', operator: 'value_previous', value: 'new' }, false],
    ['status not changed', { field: 'status', operator: 'not_changed', value: 'open' }, false],
    ['status greater than pending', { field: 'status', operator: 'greater_than', value: 'pending' }, true],
    ['assignee changed (it did one step before)', { field: 'assignee', operator: 'changed', value: null }, false],
    ['role is agent', { field: 'role', operator: 'is', value: 'agent' }, true],
  ])('change conditions: %s', (_, condition, expected) => {
    const setup = when(condition);
    const open = opening();
    const assign: TicketCommand = { type: 'Assign', assignee: 'agent-1' };
    expect(hits(setup, [monday, open], [later(1), assign], [later(2), { type: 'ChangeStatus', to: 'solved' }, assign])).toBe(expected);
  });

  it('tell a requester reply from an agent note', () => {
    const requester = setupWith({
      triggers: triggers(
        trigger(
          't',
          0,
          {
            all: [
              { field: 'role', operator: 'is', value: 'end_user' },
              { field: 'comment_is_public', operator: 'is', value: true },
              { field: 'update_type', operator: 'is', value: 'change' },
            ],
          },
          [{ field: 'add_tags', value: ['hit'] }],
        ),
      ),
    });
    expect(hits(requester, [monday, opening()], [later(1), requesterWrites])).toBe(true);
    expect(hits(requester, [monday, opening()], [later(1), agentNote])).toBe(false);
    expect(hits(when({ field: 'comment_is_public', operator: 'is', value: false }), [monday, opening()], [later(1), agentNote])).toBe(true);
  });

  it.each<[string, TriggerCondition, boolean]>([
    ['channel is email', { field: 'channel', operator: 'is', value: 'email' }, true],
    ['channel is not email', { field: 'channel', operator: 'is_not', value: 'email' }, false],
    ['tags not_includes vip', { field: 'tags', operator: 'not_includes', value: ['vip'] }, true],
    ['custom field is pro', { field: 'custom_fields_plan', operator: 'is', value: 'pro' }, true],
    ['custom field present', { field: 'custom_fields_plan', operator: 'present', value: null }, true],
    ['custom field is free', { field: 'custom_fields_plan', operator: 'is', value: 'free' }, false],
    ['language de or fr (from the locale)', { field: 'language', operator: 'is', value: ['fr', 'de'] }, true],
    ['requester country is not DE', { field: 'requester_country', operator: 'is_not', value: ['DE'] }, false],
    ['priority less than high', { field: 'priority', operator: 'less_than', value: 'high' }, true],
    ['within the Berlin schedule (Monday 10:00)', { field: 'within_schedule', operator: 'is', value: 'berlin' }, true],
    ['within business hours (no team: around the clock)', { field: 'within_business_hours', operator: 'is', value: true }, true],
    ['team is none', { field: 'team', operator: 'is', value: null }, true],
  ])('ticket conditions: %s', (_, condition, expected) => {
    expect(hits(when(condition), [monday, opening({ fields: { plan: 'pro' } })])).toBe(expected);
  });

  it('know business hours: not within the schedule on Saturday', () => {
    const saturday = new Date('2026-12-05T10:00:00Z');
    expect(hits(when({ field: 'within_schedule', operator: 'is', value: 'berlin' }), [saturday, opening()])).toBe(false);
  });

  it('write a templated internal note in the requester’s locale, and notify a webhook with the ticket’s facts', () => {
    const setup = setupWith({
      triggers: triggers(
        trigger('ack', 0, { all: [{ field: 'update_type', operator: 'is', value: 'create' }] }, [
          {
            field: 'internal_note',
            value: {
              body: 'Ticket {{ticket.id}} from {{ticket.requester.first_name}}',
              translations: { de: 'Ticket {{ ticket.id }} von {{ticket.requester.first_name}} ({{ticket.custom_fields.plan}})' },
            },
          },
          { field: 'notify_webhook', value: '01JDZ00000000000000000WHK1' },
          { field: 'set_tags', value: ['a', 'b'] },
          { field: 'remove_tags', value: ['a'] },
          { field: 'custom_fields_plan', value: 'free' },
          { field: 'assignee', value: 'agent-7' },
        ]),
      ),
    });
    const { events, ticket } = run(setup, [monday, opening({ fields: { plan: 'pro' } })]);
    const note = events!.find((e) => e.type === 'MessageAdded');
    expect(note).toMatchObject({
      data: { from: 'agent', public: false, authorId: 'trigger:ack', body: 'Ticket 01JDZ0000000000000000000AA von Anna (pro)' },
      causedBy: 'trigger:ack',
    });
    expect(events!.find((e) => e.type === 'WebhookNotified')?.data).toEqual({
      webhookId: '01JDZ00000000000000000WHK1',
      status: 'new',
      priority: 'normal',
      team: null,
      assignee: null,
      tags: [],
    });
    expect(ticket).toMatchObject({ tags: ['b'], fields: { plan: 'free' }, assignee: 'agent-7', status: 'open' });
  });

  it('apply an SLA policy, which wins over the matching one', () => {
    const policy = (id: string, rank: number, firstReply: string) => ({
      id,
      name: id,
      rank,
      match: {},
      targets: { firstReply },
      businessHours: false,
      onBreach: { raisePriority: false, handOff: false },
    });
    const setup = setupWith({
      slaPolicies: { standard: policy('standard', 0, 'PT8H'), vip: policy('vip', 9, 'PT1H') },
      triggers: triggers(
        trigger('vip-sla', 0, { all: [{ field: 'tags', operator: 'includes', value: ['vip'] }] }, [{ field: 'sla_policy', value: 'vip' }]),
      ),
    });
    const { ticket } = run(setup, [monday, opening({ tags: ['vip'] })]);
    expect(ticket?.sla).toMatchObject({ policyId: 'vip', firstReplyDueAt: later(1).toISOString() });
    expect(run(setup, [monday, opening()]).ticket?.sla).toMatchObject({ policyId: 'standard', firstReplyDueAt: later(8).toISOString() });
  });
});

describe('macros', () => {
  const macro: Macro = {
    id: 'refund',
    title: 'Refund issued',
    actions: [
      { field: 'public_reply', value: { body: 'Refund issued, {{ticket.requester.first_name}}.', translations: {} } },
      { field: 'status', value: 'pending' },
      { field: 'add_tags', value: ['refunded'] },
    ],
  };
  const setup = setupWith({ macros: { refund: macro } });
  const apply: TicketCommand = { type: 'ApplyMacro', macroId: 'refund', agentId: 'agent-3' };

  it('apply every action as one change, written as the agent, caused by the macro', () => {
    const { events, ticket } = run(setup, [monday, opening()], [later(1), apply]);
    expect(causes(events!)).toEqual([
      'MessageAdded<-macro:refund',
      'StatusChanged<-macro:refund',
      'StatusChanged<-macro:refund',
      'TagsSet<-macro:refund',
    ]);
    expect(events![0]!.data).toMatchObject({ from: 'agent', authorId: 'agent-3', public: true, body: 'Refund issued, Anna.' });
    expect(ticket).toMatchObject({ status: 'pending', tags: ['refunded'] });
  });

  it('refuse as a whole when the ticket refuses an action, and name an unknown macro', () => {
    const solving = setupWith({
      macros: {
        close: {
          id: 'close',
          title: 'x',
          actions: [
            { field: 'add_tags', value: ['x'] },
            { field: 'status', value: 'solved' },
          ],
        },
      },
    });
    expect(run(solving, [monday, opening()], [later(1), { type: 'ApplyMacro', macroId: 'close', agentId: 'a' }]).decision).toEqual({
      ok: false,
      error: { code: 'assignee_required' },
    });
    expect(run(setup, [monday, opening()], [later(1), { type: 'ApplyMacro', macroId: 'nope', agentId: 'a' }]).decision).toEqual({
      ok: false,
      error: { code: 'macro_not_found' },
    });
  });
});

describe('automations', () => {
  const nudge: Automation = {
    id: 'nudge',
    title: 'Nudge after 4 hours',
    position: 0,
    active: true,
    conditions: {
      all: [
        { field: 'hours_since_created', operator: 'greater_than', value: 4 },
        { field: 'tags', operator: 'not_includes', value: ['nudged'] },
      ],
      any: [],
    },
    actions: [
      { field: 'add_tags', value: ['nudged'] },
      { field: 'priority', value: 'high' },
    ],
  };
  const setup = setupWith({ automations: { nudge } });
  const due = later(4).toISOString();
  const fire = (dueAt = due): TicketCommand => ({ type: 'RunAutomation', automationId: 'nudge', dueAt });

  it('plan the moment each becomes true when the ticket changes', () => {
    const { events, ticket } = run(setup, [monday, opening()]);
    expect(events!.at(-1)).toEqual({ type: 'AutomationsPlanned', data: { due: [{ automationId: 'nudge', dueAt: due }] } });
    expect(ticket?.automations.due).toEqual({ nudge: due });
  });

  it('fire at that moment, once: a timer delivered twice or stale does nothing', () => {
    const fired = run(setup, [monday, opening()], [later(4), fire()]);
    expect(causes(fired.events!)).toEqual([
      'AutomationFired<-automation:nudge',
      'TagsSet<-automation:nudge',
      'PriorityChanged<-automation:nudge',
    ]);
    expect(fired.ticket).toMatchObject({ priority: 'high', tags: ['nudged'], automations: { due: {}, fired: { nudge: due } } });
    expect(run(setup, [monday, opening()], [later(4), fire()], [later(4.1), fire()]).events).toEqual([]);
    expect(run(setup, [monday, opening()], [later(5), fire(later(3).toISOString())]).events).toEqual([]);
  });

  it('fire late as on time, and not when the ticket no longer matches', () => {
    expect(causes(run(setup, [monday, opening()], [later(30), fire()]).events!)).toContain('AutomationFired<-automation:nudge');
    const tagged: TicketCommand = { type: 'SetTags', tags: ['nudged'] };
    const { ticket } = run(setup, [monday, opening()], [later(1), tagged]);
    expect(ticket?.automations.due).toEqual({});
  });

  it('count business hours on the team’s calendar', () => {
    const business: Automation = {
      ...nudge,
      conditions: {
        ...nudge.conditions,
        all: [{ field: 'hours_since_created', operator: 'greater_than_business_hours', value: 8 }, nudge.conditions.all[1]!],
      },
    };
    // Opened Monday 10:00 Berlin with 7 office hours left that day: 8 business hours end Tuesday 10:00 Berlin.
    const { ticket } = run(
      setupWith({ automations: { nudge: business } }),
      [monday, opening()],
      [later(0.1), { type: 'Assign', team: 'tier2' }],
    );
    expect(ticket?.automations.due).toEqual({ nudge: '2026-12-01T09:00:00.000Z' });
  });

  it('plan again on PlanAutomations (the sweep after the automations changed)', () => {
    const { ticket } = run(setupWith(), [monday, opening()]);
    const decision = decideAll([{ type: 'PlanAutomations' }], ticket, { now: later(1), setup });
    expect(decision).toEqual({
      ok: true,
      events: [{ type: 'AutomationsPlanned', data: { due: [{ automationId: 'nudge', dueAt: due }] } }],
    });
  });

  it('must change something that stops them matching (Zendesk’s rule)', () => {
    const put = (automation: Automation) => decideSetup({ type: 'PutAutomation', automation }, setupWith());
    expect(put({ ...nudge, actions: [{ field: 'priority', value: 'high' }] })).toEqual({
      ok: false,
      error: { code: 'automation_never_stops' },
    });
    expect(put(nudge).ok).toBe(true);
    const pending = (actions: Action[]): Automation => ({
      ...nudge,
      conditions: { all: [{ field: 'hours_since_pending', operator: 'greater_than', value: 72 }], any: [] },
      actions,
    });
    expect(stopsMatching(pending([{ field: 'status', value: 'solved' }]))).toBe(true);
    expect(stopsMatching(pending([{ field: 'status', value: 'pending' }]))).toBe(false);
    expect(
      stopsMatching({
        ...nudge,
        conditions: { all: [nudge.conditions.all[0]!, { field: 'status', operator: 'is', value: 'new' }], any: [] },
        actions: [{ field: 'status', value: 'open' }],
      }),
    ).toBe(true);
  });
});

describe('rule validation', () => {
  it('names what the setup does not have, by path', () => {
    const bad = trigger(
      't',
      0,
      {
        all: [
          { field: 'custom_fields_nope', operator: 'present', value: null },
          { field: 'within_schedule', operator: 'is', value: 'tokyo' },
        ],
      },
      [
        { field: 'team', value: 'ghosts' },
        { field: 'custom_fields_plan', value: 'platinum' },
        { field: 'sla_policy', value: 'none' },
      ],
    );
    const decision = decideSetup({ type: 'PutTrigger', trigger: bad }, setupWith());
    expect(decision.ok ? [] : (decision.error as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual([
      '/conditions/all/0/field',
      '/conditions/all/1/value',
      '/actions/0/value',
      '/actions/1/value',
      '/actions/2/value',
    ]);
  });

  it('reads Zendesk’s space-separated lists and refuses malformed rules by path', () => {
    const parsed = triggerSchema.parse({
      id: 'vip',
      title: 'VIP',
      position: 0,
      active: true,
      conditions: { all: [{ field: 'tags', operator: 'includes', value: 'vip gold' }] },
      actions: [{ field: 'internal_note', value: 'VIP {{ticket.id}}' }],
    });
    expect(parsed.conditions).toEqual({ all: [{ field: 'tags', operator: 'includes', value: ['vip', 'gold'] }], any: [] });
    expect(parsed.actions).toEqual([{ field: 'internal_note', value: { body: 'VIP {{ticket.id}}', translations: {} } }]);
    const refused = triggerSchema.safeParse({ ...parsed, actions: [{ field: 'internal_note', value: 'Hi {{ticket.password}}' }] });
    expect(refused.success).toBe(false);
    const noTime = automationSchema.safeParse({ ...parsed, conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }] } });
    expect(noTime.error?.issues.map((issue) => issue.path.join('/'))).toEqual(['conditions/all']);
  });
});
