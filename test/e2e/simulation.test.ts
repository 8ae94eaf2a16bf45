import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { call, eventually, newTicket, settledTables, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** The runtime's clock ticks with real time from an offset the test moves (scheduled jobs must come due). */
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
const minutes = (n: number) => n * 60_000;

const standard = (firstReply: string) => ({
  rank: 1,
  match: {},
  targets: { firstReply },
  businessHours: false,
  onBreach: { raisePriority: true, handOff: false },
});

describe('what if: POST /v1/simulations on the local runtime', () => {
  let rt: TestRuntime;
  let deps: Deps;
  let agent: string;
  let supervisor: string;
  let from: string;
  const slow: string[] = [];

  beforeAll(async () => {
    rt = await startTestRuntime({ clock: now });
    deps = rt.endpoints[0]!.deps;
    agent = await rt.token('acme', ['agent'], 'agent-1');
    supervisor = await rt.token('acme', ['supervisor'], 'supervisor-1');
    const put = await call(rt.url, 'PUT', '/v1/sla-policies/standard', { token: supervisor, body: standard('PT4H') });
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    from = new Date(now().getTime() - minutes(1)).toISOString();
    // Three tickets answered after 30 minutes, 2 hours and 3 hours: all within the 4-hour first-reply target.
    const tickets = [];
    for (let i = 0; i < 3; i++) tickets.push((await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() })).body);
    const reply = (ticket: { id: string }) =>
      call(rt.url, 'POST', `/v1/tickets/${ticket.id}/messages`, { token: agent, body: { body: 'Looking into it', from: 'agent' } });
    offsetMs += minutes(30);
    expect((await reply(tickets[0])).status).toBe(201);
    offsetMs += minutes(90);
    expect((await reply(tickets[1])).status).toBe(201);
    offsetMs += minutes(60);
    expect((await reply(tickets[2])).status).toBe(201);
    slow.push(tickets[1].id, tickets[2].id);
    await eventually(
      async () => (await call(rt.url, 'GET', '/v1/tickets?status=open', { token: agent })).body.items.length,
      (n) => n === 3,
    );
  }, 60_000);
  afterAll(async () => {
    await rt?.stop();
  });

  const simulate = (body: unknown, headers: Record<string, string> = {}, token = supervisor) =>
    call(rt.url, 'POST', '/v1/simulations', { token, body, headers });
  const stricter = () => ({ from, to: now().toISOString(), draft: { slaPolicies: [{ id: 'standard', ...standard('PT1H') }] } });

  it('a stricter first-reply target reports the extra breaches per ticket and in total, and writes nothing', async () => {
    const before = await settledTables(deps);
    const answer = await simulate(stricter());
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ id: null, status: 'succeeded', failure: null });
    const { totals, tickets, ticketsTruncated } = answer.body.result;
    expect(totals).toMatchObject({
      tickets: 3,
      ticketsChanged: 3,
      breaches: { baseline: { firstReply: 0, nextReply: 0, resolution: 0 }, draft: { firstReply: 2, nextReply: 0, resolution: 0 } },
      changed: { breaches: 2, priority: 2, dueAt: 3, status: 0, team: 0 },
    });
    expect(totals.events).toBeGreaterThanOrEqual(9);
    expect(ticketsTruncated).toBe(false);
    const breached = tickets.filter((t: { changed: string[] }) => t.changed.includes('breaches'));
    expect(breached.map((t: { ticketId: string }) => t.ticketId).sort()).toEqual([...slow].sort());
    for (const t of breached) {
      expect(t.baseline.breaches).toEqual([]);
      expect(t.draft.breaches).toEqual([{ metric: 'firstReply', dueAt: t.draft.dueAt.firstReply }]);
      expect(t.draft.priority).toBe('high');
      expect(Date.parse(t.baseline.dueAt.firstReply) - Date.parse(t.draft.dueAt.firstReply)).toBe(minutes(180));
    }
    expect(await settledTables(deps)).toBe(before);
    // The live setup is as it was.
    expect((await call(rt.url, 'GET', '/v1/sla-policies/standard', { token: agent })).body.targets).toEqual({ firstReply: 'PT4H' });
  });

  it('runs as a job with Prefer: respond-async: 202, Location, then the same result', async () => {
    const inline = (await simulate(stricter())).body.result;
    const accepted = await simulate(stricter(), { prefer: 'respond-async' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.headers.get('preference-applied')).toBe('respond-async');
    const location = accepted.headers.get('location')!;
    expect(location).toBe(`/v1/simulations/${accepted.body.id}`);
    expect(accepted.body).toMatchObject({ status: 'running', result: null });
    const done = await eventually(
      async () => call(rt.url, 'GET', location, { token: supervisor }),
      (reply) => reply.body.status !== 'running',
      20_000,
    );
    expect(done.body.status, JSON.stringify(done.body)).toBe('succeeded');
    expect(done.body.result.totals).toEqual(inline.totals);
    expect(done.body.finishedAt).not.toBeNull();
    expect((await call(rt.url, 'GET', location, { token: agent })).status).toBe(403);
    expect((await call(rt.url, 'GET', '/v1/simulations/01JDZ0000000000000000000ZZ', { token: supervisor })).status).toBe(404);
  });

  it('refuses a bad window or draft item with a problem naming its path, as its PUT would', async () => {
    const cases: Array<[unknown, string]> = [
      [{ from: now().toISOString(), to: from }, '/to'],
      [{ from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, '/to'],
      [
        {
          from,
          to: now().toISOString(),
          draft: {
            triggers: [
              {
                id: 'ghost',
                conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }] },
                actions: [{ field: 'team', value: 'ghosts' }],
              },
            ],
          },
        },
        '/draft/triggers/0/actions/0/value',
      ],
      [
        { from, to: now().toISOString(), draft: { teams: [{ id: 'night', name: 'Night', calendarId: 'nowhere' }] } },
        '/draft/teams/0/calendarId',
      ],
      [{ from, to: now().toISOString(), draft: { slaPolicies: [{ id: 'x', rank: 'first' }] } }, '/draft/slaPolicies/0/rank'],
    ];
    for (const [body, path] of cases) {
      const refused = await simulate(body);
      expect(refused.status, JSON.stringify(refused.body)).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const never = await simulate({
      from,
      to: now().toISOString(),
      draft: {
        automations: [
          {
            id: 'loop',
            conditions: { all: [{ field: 'hours_since_created', operator: 'greater_than', value: 2 }] },
            actions: [{ field: 'priority', value: 'high' }],
          },
        ],
      },
    });
    expect(never.status).toBe(422);
    expect(never.body.errors[0].path).toBe('/draft/automations/0');
    expect((await simulate(stricter(), {}, agent)).status).toBe(403);
  });
});
