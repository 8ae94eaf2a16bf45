import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import type { LocalScheduler } from '../../infra/local/local-scheduler.ts';
import { call, eventually, newTicket, scanAllTables, settledTables, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Wednesday 10:00Z: 18:00 in Shenzhen (closed), 14:00 in Dubai (open), 10:00 in London (open). */
let now = new Date('2026-11-25T10:00:00.000Z');
const officeHours = (timeZone: string) => ({
  timeZone,
  hours: {
    mon: [['09:00', '17:00']],
    tue: [['09:00', '17:00']],
    wed: [['09:00', '17:00']],
    thu: [['09:00', '17:00']],
    fri: [['09:00', '17:00']],
  },
});

describe('SLA policies, calendars and follow-the-sun escalation on the local runtime', () => {
  let rt: TestRuntime;
  let deps: Deps;
  let scheduler: LocalScheduler;
  let agent: string;
  let supervisor: string;
  const put = (path: string, body: unknown, token = supervisor) => call(rt.url, 'PUT', path, { token, body });

  beforeAll(async () => {
    rt = await startTestRuntime({ clock: () => now });
    deps = rt.endpoints[0]!.deps;
    scheduler = rt.endpoints[0]!.scheduler;
    agent = await rt.token('acme', ['agent'], 'agent-1');
    supervisor = await rt.token('acme', ['supervisor'], 'supervisor-1');
  }, 60_000);
  afterAll(() => rt?.stop());

  it('refuses bad setup with a problem and writes nothing; only a supervisor may change it', async () => {
    const before = await settledTables(deps);
    const cases: Array<[string, unknown, string]> = [
      ['/v1/calendars/berlin', { ...officeHours('Europe/Atlantis') }, '/timeZone'],
      ['/v1/calendars/berlin', { timeZone: 'Europe/Berlin', hours: { mon: [['09:00', '25:00']] } }, '/hours/mon/0/1'],
      ['/v1/calendars/berlin', { timeZone: 'Europe/Berlin', hours: { someday: [] } }, '/hours/someday'],
      ['/v1/calendars/Berlin!', officeHours('Europe/Berlin'), '/id'],
      ['/v1/teams/berlin', { name: 'Berlin', calendarId: 'nowhere' }, '/calendarId'],
      ['/v1/teams/berlin', { name: 'Berlin', escalatesTo: ['berlin'] }, '/escalatesTo'],
      ['/v1/sla-policies/p', { rank: 1, targets: { firstReply: 'P1M' }, businessHours: false }, '/targets/firstReply'],
      ['/v1/routing-rules/r', { rank: 1, match: { channel: 'chat' }, team: 'nobody' }, '/team'],
    ];
    for (const [path, body, errorPath] of cases) {
      const refused = await put(path, body);
      expect(refused.status, `${path} ${JSON.stringify(refused.body)}`).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(
        refused.body.errors.map((e: { path: string }) => e.path),
        path,
      ).toContain(errorPath);
    }
    expect((await put('/v1/calendars/berlin', officeHours('Europe/Berlin'), agent)).status).toBe(403);
    expect((await call(rt.url, 'DELETE', '/v1/sla-policies/none', { token: supervisor })).status).toBe(404);
    expect(await scanAllTables(deps)).toBe(before);
  });

  it('keeps calendars, teams (the follow-the-sun chain), policies and routing rules', async () => {
    for (const [id, zone] of [
      ['shenzhen-hours', 'Asia/Shanghai'],
      ['dubai-hours', 'Asia/Dubai'],
      ['london-hours', 'Europe/London'],
    ] as const) {
      expect((await put(`/v1/calendars/${id}`, officeHours(zone))).status).toBe(201);
    }
    const ramadan = { from: '2027-02-08', to: '2027-03-09', name: 'Ramadan', hours: { mon: [['09:00', '14:00']] } };
    const replaced = await put('/v1/calendars/dubai-hours', { ...officeHours('Asia/Dubai'), specialHours: [ramadan] });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: 'dubai-hours', name: 'dubai-hours', specialHours: [ramadan], holidays: [] });
    expect((await put('/v1/teams/london', { name: 'London', calendarId: 'london-hours' })).status).toBe(201);
    expect((await put('/v1/teams/dubai', { name: 'Dubai', calendarId: 'dubai-hours', escalatesTo: ['london'] })).status).toBe(201);
    const shenzhen = await put('/v1/teams/shenzhen', { name: 'Shenzhen', calendarId: 'shenzhen-hours', escalatesTo: ['dubai', 'london'] });
    expect(shenzhen.body).toEqual({ id: 'shenzhen', name: 'Shenzhen', calendarId: 'shenzhen-hours', escalatesTo: ['dubai', 'london'] });
    const policy = {
      rank: 1,
      match: { channel: 'chat' },
      targets: { firstReply: 'PT1M', resolution: 'PT8H' },
      businessHours: false,
      onBreach: { raisePriority: true, handOff: true },
    };
    expect((await put('/v1/sla-policies/chat-first-reply', policy)).status).toBe(201);
    expect((await put('/v1/sla-policies/chat-first-reply', policy)).status).toBe(200);
    expect((await put('/v1/routing-rules/chat-to-shenzhen', { rank: 1, match: { channel: ['chat'] }, team: 'shenzhen' })).status).toBe(201);

    const teams = await call(rt.url, 'GET', '/v1/teams', { token: agent });
    expect(teams.body.items.map((t: { id: string }) => t.id)).toEqual(['dubai', 'london', 'shenzhen']);
    expect((await call(rt.url, 'GET', '/v1/sla-policies/chat-first-reply', { token: agent })).body).toMatchObject({
      match: { channel: ['chat'] },
      onBreach: { raisePriority: true, handOff: true },
    });
  });

  it('breaches an unanswered ticket within seconds of its due time and hands it to the team on shift', async () => {
    const created = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ channel: 'chat' }) });
    expect(created.status).toBe(201);
    const ticketId = created.body.id;
    expect(created.body).toMatchObject({
      team: 'shenzhen',
      sla: {
        policyId: 'chat-first-reply',
        firstReplyDueAt: '2026-11-25T10:01:00.000Z',
        resolutionDueAt: '2026-11-25T18:00:00.000Z',
        breaches: [],
      },
    });
    const answered = (await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ channel: 'chat' }) })).body.id;
    await call(rt.url, 'POST', `/v1/tickets/${answered}/messages`, { token: agent, body: { body: 'On it', from: 'agent' } });
    await eventually(
      async () => scheduler.pending().filter((s) => s.target === 'sla-checker').length,
      (n) => n >= 3,
    );

    now = new Date('2026-11-25T10:01:05.000Z');
    const started = Date.now();
    const breached = await eventually(
      () => call(rt.url, 'GET', `/v1/tickets/${ticketId}`, { token: agent }),
      (r) => r.body.sla.breaches.length === 1,
      10_000,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(breached.body).toMatchObject({
      team: 'dubai',
      priority: 'high',
      sla: { breaches: [{ metric: 'firstReply', dueAt: '2026-11-25T10:01:00.000Z', breachedAt: '2026-11-25T10:01:05.000Z' }] },
    });
    const events = await call(rt.url, 'GET', `/v1/tickets/${ticketId}/events`, { token: agent });
    // A 24x7 policy: the hand-off moves no due time, so no new SlaTargetsSet follows.
    expect(events.body.items.map((e: { type: string }) => e.type).slice(-3)).toEqual(['SlaBreached', 'PriorityChanged', 'TicketEscalated']);
    expect(events.body.items.at(-1)).toMatchObject({
      actor: { type: 'system', id: 'sla-checker' },
      data: { fromTeam: 'shenzhen', toTeam: 'dubai', reason: 'sla_breach' },
    });

    // The answered ticket's timer fired too, found the target met, and changed nothing.
    await eventually(
      async () => scheduler.pending().filter((s) => s.name.includes(answered) && s.name.includes('firstReply')).length,
      (n) => n === 0,
    );
    expect((await call(rt.url, 'GET', `/v1/tickets/${answered}`, { token: agent })).body).toMatchObject({
      team: 'shenzhen',
      priority: 'normal',
      sla: { breaches: [] },
    });
    expect(scheduler.deadLetters).toEqual([]);
  });
});

describe('the same on the real clock: a one-minute first-reply target', () => {
  let rt: TestRuntime;

  beforeAll(async () => {
    rt = await startTestRuntime();
  }, 60_000);
  afterAll(() => rt?.stop());

  it('breaches within a minute and a half and the ticket sits with the team on shift', async () => {
    const supervisor = await rt.token('acme', ['supervisor']);
    const agent = await rt.token('acme', ['agent']);
    const put = async (path: string, body: unknown) =>
      expect((await call(rt.url, 'PUT', path, { token: supervisor, body })).status).toBe(201);
    // Whatever the hour: the first two teams are never on shift, the last always is.
    await put('/v1/calendars/never', { timeZone: 'Asia/Shanghai', hours: {} });
    await put('/v1/teams/night-desk', { name: 'Always on', calendarId: null });
    await put('/v1/teams/closed-desk', { name: 'Closed', calendarId: 'never' });
    await put('/v1/teams/first-line', { name: 'First line', calendarId: 'never', escalatesTo: ['closed-desk', 'night-desk'] });
    await put('/v1/sla-policies/one-minute', {
      rank: 1,
      targets: { firstReply: 'PT1M' },
      businessHours: false,
      onBreach: { handOff: true },
    });
    await put('/v1/routing-rules/all-to-first-line', { rank: 1, match: {}, team: 'first-line' });

    const started = Date.now();
    const created = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() });
    expect(created.body).toMatchObject({ team: 'first-line', sla: { policyId: 'one-minute' } });
    const breached = await eventually(
      () => call(rt.url, 'GET', `/v1/tickets/${created.body.id}`, { token: agent }),
      (r) => r.body.sla.breaches.length === 1 && r.body.team === 'night-desk',
      90_000,
    );
    expect(breached.body).toMatchObject({
      team: 'night-desk',
      sla: { breaches: [{ metric: 'firstReply', dueAt: created.body.sla.firstReplyDueAt }] },
    });
    expect(Date.now() - started).toBeLessThan(90_000);
    expect(Date.parse(breached.body.sla.breaches[0].breachedAt) - Date.parse(created.body.sla.firstReplyDueAt)).toBeLessThan(5_000);
  }, 120_000);
});
