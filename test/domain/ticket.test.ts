import { describe, expect, it } from 'vitest';
import { emptySetup } from '../../domain/setup/support-setup.ts';
import type { TicketCommand } from '../../domain/ticket/commands.ts';
import { decide } from '../../domain/ticket/decide.ts';
import type { TicketEvent } from '../../domain/ticket/events.ts';
import { type TicketStatus, ticketStatuses } from '../../domain/ticket/vocabulary.ts';
import { assigned, given, message, opened, stateOf, status } from './given-when-then.ts';

const { homeRegion: _, direction: __, ...openedData } = opened.data as Extract<TicketEvent, { type: 'TicketOpened' }>['data'];
const openTicket = {
  type: 'OpenTicket',
  ...openedData,
  fields: {},
  requiredFieldsApply: true,
  region: 'eu-central-1',
  residency: {},
} as TicketCommand;
const agentReply = (isPublic = true): TicketCommand => ({
  type: 'AddMessage',
  messageId: 'm-agent',
  from: 'agent',
  authorId: 'agent-1',
  body: 'Hello',
  public: isPublic,
  language: null,
});
const requesterMessage: TicketCommand = {
  type: 'AddMessage',
  messageId: 'm-requester',
  from: 'requester',
  authorId: 'requester',
  body: 'Hello',
  public: true,
  language: null,
};

/** A history that leaves the ticket in the given status, assigned to agent-1. */
const historyIn = (target: TicketStatus): TicketEvent[] => {
  const base = [opened, assigned('agent-1'), status({ from: 'new', to: 'open' })];
  if (target === 'new') return [opened];
  if (target === 'open') return base;
  if (target === 'closed') return [...base, status({ from: 'open', to: 'solved' }), status({ from: 'solved', to: 'closed' })];
  return [...base, status({ from: 'open', to: target })];
};

describe('OpenTicket', () => {
  it('opens a new ticket', () => given().when(openTicket).then(opened));
  it('drops repeated tags', () =>
    given()
      .when({ ...openTicket, tags: ['vip', 'vip', 'de'] } as TicketCommand)
      .then({ ...opened, data: { ...opened.data, tags: ['vip', 'de'] } } as TicketEvent));
  it('refuses a ticket that exists', () => given(opened).when(openTicket).thenRefuses({ code: 'ticket_already_exists' }));
  it("refuses outside the requester's home region, naming it", () =>
    given()
      .when({ ...openTicket, region: 'us-east-1' } as TicketCommand)
      .thenRefuses({ code: 'wrong_region', homeRegion: 'eu-central-1' }));
  it("follows the tenant's residency policy over the country table", () =>
    given()
      .when({ ...openTicket, region: 'us-east-1', residency: { countries: { DE: 'us-east-1' } } } as TicketCommand)
      .then({ ...opened, data: { ...opened.data, homeRegion: 'us-east-1' } } as TicketEvent));
  it('folds to a new, unassigned ticket of the tenant', () =>
    expect(stateOf([opened])).toMatchObject({ status: 'new', assignee: null, team: null, tenantId: 'acme', version: 1 }));
});

describe('AddMessage', () => {
  it("an agent's public reply moves new to open", () =>
    given(opened)
      .when(agentReply())
      .then(message('agent'), status({ from: 'new', to: 'open' })));
  it("an agent's internal note leaves new as it is", () => given(opened).when(agentReply(false)).then(message('agent', false)));
  it("an agent's reply on an open ticket changes no status", () =>
    given(...historyIn('open'))
      .when(agentReply())
      .then(message('agent')));
  for (const from of ['pending', 'solved'] as const) {
    it(`a requester's message reopens a ${from} ticket`, () =>
      given(...historyIn(from))
        .when(requesterMessage)
        .then(message('requester'), status({ from, to: 'open' })));
  }
  for (const from of ['new', 'open', 'on_hold'] as const) {
    it(`a requester's message leaves ${from} as it is`, () =>
      given(...historyIn(from))
        .when(requesterMessage)
        .then(message('requester')));
  }
  it('a requester cannot write an internal note', () =>
    given(opened)
      .when({ ...requesterMessage, public: false } as TicketCommand)
      .thenRefuses({ code: 'requester_internal_note' }));
  it('counts messages', () => expect(stateOf([opened, message('agent'), message('requester')])).toMatchObject({ messageCount: 2 }));
});

describe('ChangeStatus', () => {
  const allowed: Array<[TicketStatus, TicketStatus]> = [];
  const illegal: Array<[TicketStatus, TicketStatus]> = [];
  for (const from of ticketStatuses.filter((s) => s !== 'closed')) {
    for (const to of ticketStatuses.filter((s) => s !== from)) {
      (to === 'new' || (to === 'closed' && from !== 'solved') ? illegal : allowed).push([from, to]);
    }
  }
  for (const [from, to] of allowed.filter(([from, to]) => !(from === 'new' && to === 'solved'))) {
    it(`${from} -> ${to}`, () =>
      given(...historyIn(from))
        .when({ type: 'ChangeStatus', to })
        .then(status({ from, to })));
  }
  for (const [from, to] of illegal) {
    it(`${from} -> ${to} is illegal`, () =>
      given(...historyIn(from))
        .when({ type: 'ChangeStatus', to })
        .thenRefuses({ code: 'illegal_transition', from, to }));
  }
  it('new -> solved needs an assignee first', () =>
    given(opened).when({ type: 'ChangeStatus', to: 'solved' }).thenRefuses({ code: 'assignee_required' }));
  it('the same status is no change', () =>
    given(...historyIn('pending'))
      .when({ type: 'ChangeStatus', to: 'pending' })
      .then());
  it('solving needs an assignee', () =>
    given(opened, status({ from: 'new', to: 'open' }))
      .when({ type: 'ChangeStatus', to: 'solved' })
      .thenRefuses({ code: 'assignee_required' }));
  it('a ticket that does not exist', () => given().when({ type: 'ChangeStatus', to: 'open' }).thenRefuses({ code: 'ticket_not_found' }));
});

describe('closed is final', () => {
  const commands: TicketCommand[] = [
    agentReply(),
    requesterMessage,
    { type: 'Assign', assignee: 'agent-2' },
    { type: 'ChangePriority', to: 'high' },
    { type: 'SetTags', tags: ['late'] },
    ...ticketStatuses.map((to): TicketCommand => ({ type: 'ChangeStatus', to })),
  ];
  for (const command of commands) {
    it(`refuses ${command.type} ${JSON.stringify(command).slice(0, 60)}`, () =>
      given(...historyIn('closed'))
        .when(command)
        .thenRefuses({ code: 'ticket_closed' }));
  }
});

describe('Assign', () => {
  it('assigning a new ticket opens it', () =>
    given(opened)
      .when({ type: 'Assign', assignee: 'agent-1', team: 'shenzhen' })
      .then(assigned('agent-1', 'shenzhen'), status({ from: 'new', to: 'open' })));
  it('a team alone leaves a new ticket new', () => given(opened).when({ type: 'Assign', team: 'dubai' }).then(assigned(null, 'dubai')));
  it('keeps what the command leaves out', () =>
    given(opened, assigned('agent-1', 'london'), status({ from: 'new', to: 'open' }))
      .when({ type: 'Assign', team: 'mexico-city' })
      .then(assigned('agent-1', 'mexico-city')));
  it('null unassigns', () =>
    given(...historyIn('open'))
      .when({ type: 'Assign', assignee: null })
      .then(assigned(null)));
  it('the same assignment is no change', () =>
    given(...historyIn('open'))
      .when({ type: 'Assign', assignee: 'agent-1' })
      .then());
  it('a solved ticket keeps an assignee', () =>
    given(...historyIn('solved'))
      .when({ type: 'Assign', assignee: null })
      .thenRefuses({ code: 'assignee_required' }));
  it('a ticket that does not exist', () => given().when({ type: 'Assign', assignee: 'a' }).thenRefuses({ code: 'ticket_not_found' }));
});

describe('ChangePriority', () => {
  it('changes', () =>
    given(opened)
      .when({ type: 'ChangePriority', to: 'urgent' })
      .then({ type: 'PriorityChanged', data: { from: 'normal', to: 'urgent' } }));
  it('the same priority is no change', () => given(opened).when({ type: 'ChangePriority', to: 'normal' }).then());
  it('a ticket that does not exist', () => given().when({ type: 'ChangePriority', to: 'low' }).thenRefuses({ code: 'ticket_not_found' }));
});

describe('SetTags', () => {
  it('replaces the tags, once each', () =>
    given(opened)
      .when({ type: 'SetTags', tags: ['refund', 'refund', 'vip'] })
      .then({ type: 'TagsSet', data: { tags: ['refund', 'vip'] } }));
  it('the same tags are no change', () =>
    given(opened, { type: 'TagsSet', data: { tags: ['a', 'b'] } })
      .when({ type: 'SetTags', tags: ['a', 'b'] })
      .then());
  it('a ticket that does not exist', () => given().when({ type: 'SetTags', tags: [] }).thenRefuses({ code: 'ticket_not_found' }));
});

describe('several commands as one unit (a PATCH)', () => {
  it('assign then solve a new ticket', () =>
    given(opened)
      .when({ type: 'Assign', assignee: 'agent-1' }, { type: 'ChangeStatus', to: 'solved' })
      .then(assigned('agent-1'), status({ from: 'new', to: 'open' }), status({ from: 'open', to: 'solved' })));
  it('one refusal refuses all', () =>
    given(opened)
      .when({ type: 'ChangePriority', to: 'high' }, { type: 'ChangeStatus', to: 'solved' })
      .thenRefuses({ code: 'assignee_required' }));
});

describe('EraseTicket', () => {
  const erased: TicketEvent = { type: 'TicketErased', data: { reason: 'retention', dsarId: null, retentionDays: 365 } };
  // historyIn('closed') closes the ticket at 2026-11-24T09:00:05Z.
  const retention = (asOf: string): TicketCommand => ({ type: 'EraseTicket', reason: 'retention', retentionDays: 365, asOf });
  it('records the erasure of a ticket closed for the retention period', () =>
    given(...historyIn('closed'))
      .when(retention('2027-11-24T09:00:05.000Z'))
      .then(erased));
  it('refuses retention a moment before the period has passed', () =>
    given(...historyIn('closed'))
      .when(retention('2027-11-24T09:00:04.999Z'))
      .thenRefuses({ code: 'retention_not_due' }));
  it('refuses retention for a ticket that is not closed, however old', () => {
    for (const open of ['new', 'open', 'pending', 'on_hold', 'solved'] as const) {
      given(...historyIn(open))
        .when(retention('2099-01-01T00:00:00.000Z'))
        .thenRefuses({ code: 'retention_not_due' });
    }
  });
  it('remembers when the ticket was closed', () =>
    expect(stateOf(historyIn('closed'))).toMatchObject({ status: 'closed', closedAt: '2026-11-24T09:00:05.000Z' }));
  it('records an erasure request against an open ticket', () =>
    given(...historyIn('open'))
      .when({ type: 'EraseTicket', reason: 'dsar_erasure', dsarId: 'D1' })
      .then({ type: 'TicketErased', data: { reason: 'dsar_erasure', dsarId: 'D1', retentionDays: null } }));
  it('is recorded once: a second erasure changes nothing', () =>
    given(opened, erased).when({ type: 'EraseTicket', reason: 'dsar_erasure', dsarId: 'D2' }).then());
  it('ends the working life of the ticket', () => {
    given(opened, erased).when(agentReply()).thenRefuses({ code: 'ticket_erased' });
    given(opened, erased).when({ type: 'ChangeStatus', to: 'open' }).thenRefuses({ code: 'ticket_erased' });
    expect(stateOf([opened, erased])!.erasedAt).not.toBeNull();
  });
});

describe('RectifyRequester', () => {
  it('appends the corrected fields only, even on a closed ticket', () =>
    given(...historyIn('closed'))
      .when({ type: 'RectifyRequester', dsarId: 'D1', name: 'Anna Schmidt-Weber', email: 'anna@example.de' })
      .then({ type: 'RequesterRectified', data: { dsarId: 'D1', name: 'Anna Schmidt-Weber' } }));
  it('changes nothing when nothing differs', () =>
    given(opened).when({ type: 'RectifyRequester', dsarId: 'D1', name: 'Anna Schmidt' }).then());
  it('folds the correction into the requester', () =>
    expect(stateOf([opened, { type: 'RequesterRectified', data: { dsarId: 'D1', phone: '+49 30 1234' } }])!.requester).toMatchObject({
      name: 'Anna Schmidt',
      phone: '+49 30 1234',
    }));
});

describe('localisation', () => {
  it('a message runs right to left when its first letter is Arabic or Hebrew, as dir="auto" decides', () => {
    const say = (body: string): TicketCommand => ({
      type: 'AddMessage',
      messageId: 'm',
      from: 'requester',
      authorId: 'r',
      body,
      public: true,
      language: 'ar',
    });
    const directionOf = (body: string) => {
      const decision = decide(say(body), stateOf(historyIn('open')), { now: new Date(), setup: emptySetup('acme') });
      return decision.ok ? (decision.events[0]!.data as { direction: string }).direction : null;
    };
    expect(directionOf('أين طردي؟')).toBe('rtl');
    expect(directionOf('1234 — שלום')).toBe('rtl');
    expect(directionOf('Order 1234: أين طردي؟')).toBe('ltr');
    expect(directionOf('荷物はどこですか')).toBe('ltr');
    expect(directionOf('?!')).toBe('ltr');
  });
});

describe('surveys', () => {
  const solved = historyIn('closed').slice(0, -1);
  it('takes CSAT and NPS answers once solved, even after closing, comment and all', () => {
    given(...solved)
      .when({ type: 'RateSatisfaction', score: 4, comment: 'Quick and kind' })
      .then({ type: 'SatisfactionRated', data: { score: 4, comment: 'Quick and kind' } });
    given(...historyIn('closed'))
      .when({ type: 'RateNps', score: 9, comment: null })
      .then({ type: 'NpsRated', data: { score: 9, comment: null } });
  });
  it('refuses them before the ticket was ever solved', () =>
    given(...historyIn('open'))
      .when({ type: 'RateSatisfaction', score: 5, comment: null })
      .thenRefuses({ code: 'not_solved' }));
  it('remembers the latest answer and the first solve', () => {
    const state = stateOf([
      ...solved,
      { type: 'SatisfactionRated', data: { score: 2, comment: null } },
      { type: 'SatisfactionRated', data: { score: 5, comment: null } },
    ]);
    expect(state).toMatchObject({ satisfaction: { score: 5 }, solvedAt: '2026-11-24T09:00:04.000Z' });
  });
});
