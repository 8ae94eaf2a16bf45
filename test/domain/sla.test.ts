import { describe, expect, it } from 'vitest';
import { weekdays } from '../../domain/calendar/calendar.ts';
import { emptySetup, type SupportSetup } from '../../domain/setup/support-setup.ts';
import type { CalendarEntry } from '../../domain/setup/vocabulary.ts';
import type { SlaPolicy, Team } from '../../domain/sla/vocabulary.ts';
import type { TicketCommand } from '../../domain/ticket/commands.ts';
import type { TicketEvent } from '../../domain/ticket/events.ts';
import { fold } from '../../domain/ticket/evolve.ts';
import type { Ticket } from '../../domain/ticket/state.ts';
import { decideAll } from '../../domain/ticket/unit.ts';

const open = (overrides: Record<string, unknown> = {}): TicketCommand =>
  ({
    type: 'OpenTicket',
    ticketId: '01JDZ0000000000000000000AA',
    subject: 'Refund',
    fields: {},
    requiredFieldsApply: true,
    description: 'Charged twice',
    channel: 'email',
    requester: { subjectId: 'S1', email: 'a@example.de', name: 'A', country: 'DE', locale: 'de-DE' },
    priority: 'normal',
    tags: [],
    language: 'en',
    region: 'eu-central-1',
    residency: {},
    ...overrides,
  }) as TicketCommand;
const reply = (from: 'agent' | 'requester', isPublic = true): TicketCommand => ({
  type: 'AddMessage',
  messageId: `m-${Math.random()}`,
  from,
  authorId: from,
  body: 'Hi',
  public: isPublic,
  language: null,
});

const policy = (overrides: Partial<SlaPolicy> = {}): SlaPolicy => ({
  id: 'standard',
  name: 'Standard',
  rank: 10,
  match: {},
  targets: { firstReply: 'PT1H', nextReply: 'PT2H', resolution: 'PT8H' },
  businessHours: false,
  onBreach: { raisePriority: false, handOff: false },
  ...overrides,
});
const officeHours = (id: string, timeZone: string): CalendarEntry => ({
  id,
  name: id,
  timeZone,
  hours: Object.fromEntries(weekdays.slice(0, 5).map((d) => [d, [['09:00', '17:00']]])),
  holidays: [],
  specialHours: [],
});
const team = (id: string, calendarId: string | null, escalatesTo: string[] = []): Team => ({ id, name: id, calendarId, escalatesTo });
const setupWith = (parts: { policies?: SlaPolicy[]; calendars?: CalendarEntry[]; teams?: Team[] } = {}): SupportSetup => ({
  ...emptySetup('acme'),
  slaPolicies: Object.fromEntries((parts.policies ?? [policy()]).map((p) => [p.id, p])),
  calendars: Object.fromEntries((parts.calendars ?? []).map((c) => [c.id, c])),
  teams: Object.fromEntries((parts.teams ?? []).map((t) => [t.id, t])),
});

/** Decides each step at its time against what the previous steps left: the ticket and the last step's events. */
function run(setup: SupportSetup, ...steps: Array<[at: string, ...commands: TicketCommand[]]>) {
  let ticket: Ticket | null = null;
  let events: TicketEvent[] = [];
  for (const [at, ...commands] of steps) {
    const decision = decideAll(commands, ticket, { now: new Date(at), setup });
    if (!decision.ok) throw new Error(JSON.stringify(decision.error));
    events = decision.events;
    ticket = fold(
      events.map((event, i) => ({
        ...event,
        version: (ticket?.version ?? 0) + i + 1,
        occurredAt: at,
        tenantId: 'acme',
        actorId: 'agent-1',
      })),
      ticket,
    );
  }
  return { ticket: ticket!, events };
}
const slaSet = (events: TicketEvent[]) => events.find((e) => e.type === 'SlaTargetsSet')?.data;
const t = (hhmm: string, day = '2026-11-25') => `${day}T${hhmm}:00.000Z`;

describe('SLA targets', () => {
  it('a new ticket gets the first matching policy, by rank, with its due times', () => {
    const urgent = policy({ id: 'urgent', rank: 1, match: { priority: ['urgent'] }, targets: { firstReply: 'PT15M' } });
    const { events } = run(setupWith({ policies: [policy(), urgent] }), [t('09:00'), open({ priority: 'urgent' })]);
    expect(slaSet(events)).toEqual({
      policyId: 'urgent',
      firstReplyDueAt: t('09:15'),
      nextReplyDueAt: null,
      resolutionDueAt: null,
      pausedSince: null,
    });
    expect(slaSet(run(setupWith({ policies: [policy(), urgent] }), [t('09:00'), open()]).events)?.policyId).toBe('standard');
  });

  it('no policy matches: no SLA event at all', () =>
    expect(
      run(setupWith({ policies: [policy({ match: { channel: ['chat'] } })] }), [t('09:00'), open()]).events.map((e) => e.type),
    ).toEqual(['TicketOpened']));

  it('tags must all be on the ticket', () => {
    const vip = policy({ id: 'vip', rank: 1, match: { tags: ['vip', 'de'] }, targets: { firstReply: 'PT10M' } });
    expect(slaSet(run(setupWith({ policies: [vip] }), [t('09:00'), open({ tags: ['vip'] })]).events)).toBeUndefined();
    expect(slaSet(run(setupWith({ policies: [vip] }), [t('09:00'), open({ tags: ['de', 'vip'] })]).events)?.policyId).toBe('vip');
  });

  it('a public agent reply meets the first reply; an internal note does not', () => {
    const setup = setupWith();
    expect(run(setup, [t('09:00'), open()], [t('09:20'), reply('agent', false)]).ticket.sla?.firstReplyDueAt).toBe(t('10:00'));
    const { ticket } = run(setup, [t('09:00'), open()], [t('09:20'), reply('agent')]);
    expect(ticket.sla).toMatchObject({ firstReplyDueAt: null, nextReplyDueAt: null, resolutionDueAt: t('17:00') });
  });

  it('a requester message after the reply starts the next-reply clock, the next public reply meets it', () => {
    const setup = setupWith();
    const waiting = run(setup, [t('09:00'), open()], [t('09:20'), reply('agent')], [t('11:00'), reply('requester')]);
    expect(waiting.ticket.sla?.nextReplyDueAt).toBe(t('13:00'));
    const answered = run(
      setup,
      [t('09:00'), open()],
      [t('09:20'), reply('agent')],
      [t('11:00'), reply('requester')],
      [t('11:30'), reply('requester')],
      [t('12:00'), reply('agent')],
    );
    expect(answered.ticket.sla?.nextReplyDueAt).toBeNull();
  });

  it('pending pauses the resolution clock (pausedSince) and open resumes it, the pause added on', () => {
    const setup = setupWith();
    const assign: TicketCommand = { type: 'Assign', assignee: 'agent-1' };
    const paused = run(setup, [t('09:00'), open(), assign], [t('10:00'), { type: 'ChangeStatus', to: 'pending' }]);
    expect(paused.ticket.sla).toMatchObject({ resolutionDueAt: null, pausedSince: t('10:00') });
    const resumed = run(
      setup,
      [t('09:00'), open(), assign],
      [t('10:00'), { type: 'ChangeStatus', to: 'pending' }],
      [t('13:00'), reply('requester')],
    );
    expect(resumed.ticket.sla).toMatchObject({ resolutionDueAt: t('20:00'), pausedSince: null });
    const solved = run(setup, [t('09:00'), open(), assign], [t('10:00'), { type: 'ChangeStatus', to: 'solved' }]);
    expect(solved.ticket.sla).toMatchObject({ resolutionDueAt: null, pausedSince: null });
  });

  it("counts in the assigned team's business hours when the policy says so", () => {
    const setup = setupWith({
      policies: [policy({ businessHours: true, targets: { firstReply: 'PT2H' } })],
      calendars: [officeHours('berlin-office', 'Europe/Berlin')],
      teams: [team('berlin', 'berlin-office')],
    });
    // Friday 27 Nov 16:00 in Berlin (15:00Z): one hour on Friday, one on Monday from 09:00.
    const { ticket } = run(setup, [t('15:00', '2026-11-27'), open(), { type: 'Assign', team: 'berlin' }]);
    expect(ticket.sla?.firstReplyDueAt).toBe(t('09:00', '2026-11-30'));
  });
});

describe('SLA breaches and follow-the-sun escalation', () => {
  const chain = setupWith({
    policies: [policy({ targets: { firstReply: 'PT1M' }, onBreach: { raisePriority: true, handOff: true } })],
    calendars: [
      officeHours('shenzhen-hours', 'Asia/Shanghai'),
      officeHours('dubai-hours', 'Asia/Dubai'),
      officeHours('london-hours', 'Europe/London'),
    ],
    teams: [team('london', 'london-hours'), team('dubai', 'dubai-hours'), team('shenzhen', 'shenzhen-hours', ['dubai', 'london'])],
  });
  // 10:00Z on a Wednesday: 18:00 in Shenzhen (closed), 14:00 in Dubai (open), 10:00 in London (open).
  const opened = [t('09:59'), open(), { type: 'Assign', team: 'shenzhen' }] as [string, ...TicketCommand[]];
  // The timer fires at its step's time: the decider reads the clock from its context.
  const breach = (_firedAt: string, dueAt = t('10:00')): TicketCommand => ({ type: 'BreachSla', metric: 'firstReply', dueAt });

  it('a timer that fires early, or for a due time that changed, does nothing', () => {
    expect(run(chain, opened, [t('09:59'), breach(t('09:59'))]).events).toEqual([]);
    expect(run(chain, opened, [t('10:00'), breach(t('10:00'), t('10:05'))]).events).toEqual([]);
  });

  it('breaches, raises the priority and hands the ticket to the first team of the chain on shift', () => {
    const { events, ticket } = run(chain, opened, [t('10:00'), breach(t('10:00'))]);
    expect(events.map((e) => e.type)).toEqual(['SlaBreached', 'PriorityChanged', 'TicketEscalated']);
    expect(events[2]!.data).toEqual({ fromTeam: 'shenzhen', toTeam: 'dubai', reason: 'sla_breach', metric: 'firstReply' });
    expect(ticket).toMatchObject({ team: 'dubai', assignee: null, priority: 'high' });
    expect(ticket.sla).toMatchObject({
      firstReplyDueAt: t('10:00'),
      breaches: [{ metric: 'firstReply', dueAt: t('10:00'), breachedAt: t('10:00') }],
    });
  });

  it('skips teams off shift: at 13:00Z Dubai (17:00) has closed, London is open', () => {
    const { ticket } = run(chain, opened, [t('13:00'), breach(t('13:00'))]);
    expect(ticket.team).toBe('london');
  });

  it('breaches once: a timer fired twice, or after the reply, does nothing', () => {
    expect(run(chain, opened, [t('10:00'), breach(t('10:00'))], [t('10:01'), breach(t('10:01'))]).events).toEqual([]);
    expect(run(chain, opened, [t('09:59'), reply('agent')], [t('10:00'), breach(t('10:00'))]).events).toEqual([]);
  });

  it('routes a new ticket by the language of the requester: Arabic to Dubai', () => {
    const routed = { ...chain, routingRules: { arabic: { id: 'arabic', rank: 1, match: { language: ['ar'] }, team: 'dubai' } } };
    const { ticket } = run(routed, [
      t('09:00'),
      open({ region: 'ap-southeast-1', requester: { subjectId: 'S2', email: 'r@example.ae', name: 'R', country: 'AE', locale: 'ar-AE' } }),
    ]);
    expect(ticket.team).toBe('dubai');
    expect(run(routed, [t('09:00'), open()]).ticket.team).toBeNull();
    const noLocale = open({
      region: 'ap-southeast-1',
      language: 'ar',
      requester: { subjectId: 'S3', email: 'n@example.ae', name: 'N', country: 'AE' },
    });
    expect(run(routed, [t('09:00'), noLocale]).ticket.team).toBe('dubai');
  });
});
