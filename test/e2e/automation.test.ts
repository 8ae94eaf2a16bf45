import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import type { LocalScheduler } from '../../infra/local/local-scheduler.ts';
import { call, eventually, newTicket, scanAllTables, settledTables, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

/**
 * The runtime's clock ticks with real time from an offset the test moves: the webhook receiver
 * checks signatures' timestamps against real time (Standard Webhooks' 5-minute tolerance), and
 * timers set a few seconds ahead of a moved clock must still come due.
 */
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
const hours = (n: number) => n * 3_600_000;

describe('triggers, automations and macros on the local runtime', () => {
  let rt: TestRuntime;
  let deps: Deps;
  let scheduler: LocalScheduler;
  let agent: string;
  let supervisor: string;
  let integrator: string;
  const receivers: WebhookReceiver[] = [];
  const put = (path: string, body: unknown, token = supervisor) => call(rt.url, 'PUT', path, { token, body });
  const typesAndCauses = async (ticketId: string) =>
    (await call(rt.url, 'GET', `/v1/tickets/${ticketId}/events`, { token: agent })).body.items.map(
      (e: { type: string; causationId: string }) => `${e.type}<-${e.causationId.includes(':') ? e.causationId : 'request'}`,
    );

  beforeAll(async () => {
    rt = await startTestRuntime({ clock: now });
    deps = rt.endpoints[0]!.deps;
    scheduler = rt.endpoints[0]!.scheduler;
    agent = await rt.token('acme', ['agent'], 'agent-1');
    supervisor = await rt.token('acme', ['supervisor'], 'supervisor-1');
    integrator = await rt.token('acme', ['integrator'], 'integrator-1');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await rt?.stop();
  });

  it('refuses a bad rule with a problem naming the path, and writes nothing', async () => {
    const before = await settledTables(deps);
    const cases: Array<[string, unknown, number, string]> = [
      [
        '/v1/triggers/t',
        { conditions: { all: [{ field: 'tags', operator: 'is', value: 'vip' }] }, actions: [{ field: 'priority', value: 'high' }] },
        400,
        '/conditions/all/0',
      ],
      ['/v1/triggers/t', { conditions: { all: [] }, actions: [{ field: 'priority', value: 'high' }] }, 400, '/conditions'],
      ['/v1/triggers/t', { conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }] }, actions: [] }, 400, '/actions'],
      [
        '/v1/triggers/t',
        { conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }] }, actions: [{ field: 'team', value: 'ghosts' }] },
        400,
        '/actions/0/value',
      ],
      [
        '/v1/triggers/t',
        {
          conditions: { any: [{ field: 'status', operator: 'is', value: 'new' }] },
          actions: [{ field: 'notify_webhook', value: '01JDZ00000000000000000WHK1' }],
        },
        400,
        '/actions/0/value',
      ],
      [
        '/v1/triggers/t',
        {
          conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }] },
          actions: [{ field: 'internal_note', value: '{{ticket.secret}}' }],
        },
        400,
        '/actions/0/value',
      ],
      [
        '/v1/automations/a',
        { conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }] }, actions: [{ field: 'status', value: 'open' }] },
        400,
        '/conditions/all',
      ],
      [
        '/v1/automations/a',
        {
          conditions: { all: [{ field: 'hours_since_created', operator: 'greater_than', value: 2 }] },
          actions: [{ field: 'priority', value: 'high' }],
        },
        422,
        '',
      ],
      ['/v1/macros/m', { actions: [{ field: 'custom_fields_nope', value: 1 }] }, 400, '/actions/0/field'],
    ];
    for (const [path, body, status, errorPath] of cases) {
      const refused = await put(path, body);
      expect(refused.status, `${path} ${JSON.stringify(refused.body)}`).toBe(status);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      if (status === 400) expect(refused.body.errors.map((e: { path: string }) => e.path)).toContain(errorPath);
      else expect(refused.body.type).toBe('urn:meridian:problem:automation-never-stops');
    }
    expect(
      (
        await put(
          '/v1/triggers/t',
          { conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }] }, actions: [{ field: 'priority', value: 'high' }] },
          agent,
        )
      ).status,
    ).toBe(403);
    expect(await scanAllTables(deps)).toBe(before);
  });

  it('a trigger acts in the same write as the create: its effect is in the answer, its events name it', async () => {
    const to = await new WebhookReceiver().start();
    receivers.push(to);
    const subscribed = await call(rt.url, 'POST', '/v1/webhooks', { token: integrator, body: { url: to.url, events: ['StatusChanged'] } });
    to.secrets.push(subscribed.body.signingSecret);
    expect((await put('/v1/teams/tier2', { name: 'Tier 2' })).status).toBe(201);
    const vip = await put('/v1/triggers/vip', {
      title: 'VIP first',
      position: 1,
      conditions: {
        all: [
          { field: 'update_type', operator: 'is', value: 'create' },
          { field: 'tags', operator: 'includes', value: 'vip gold' },
        ],
      },
      actions: [
        { field: 'priority', value: 'urgent' },
        {
          field: 'internal_note',
          value: { body: 'VIP ticket {{ticket.id}}', translations: { de: 'VIP-Ticket von {{ticket.requester.first_name}}' } },
        },
        { field: 'notify_webhook', value: subscribed.body.id },
      ],
    });
    expect(vip.status, JSON.stringify(vip.body)).toBe(201);
    expect(vip.headers.get('location')).toBe('/v1/triggers/vip');
    expect(vip.body.conditions.all[1]).toEqual({ field: 'tags', operator: 'includes', value: ['vip', 'gold'] });
    expect(
      (
        await put('/v1/triggers/urgent-to-tier2', {
          position: 2,
          conditions: { all: [{ field: 'priority', operator: 'value', value: 'urgent' }] },
          actions: [{ field: 'team', value: 'tier2' }],
        })
      ).status,
    ).toBe(201);
    expect((await call(rt.url, 'GET', '/v1/triggers', { token: agent })).body.items.map((t: { id: string }) => t.id)).toEqual([
      'vip',
      'urgent-to-tier2',
    ]);

    const created = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ tags: ['gold'] }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ priority: 'urgent', team: 'tier2', messageCount: 1 });
    expect(await typesAndCauses(created.body.id)).toEqual([
      'TicketOpened<-request',
      'PriorityChanged<-trigger:vip',
      'MessageAdded<-trigger:vip',
      'WebhookNotified<-trigger:vip',
      'TicketAssigned<-trigger:urgent-to-tier2',
    ]);
    const messages = await call(rt.url, 'GET', `/v1/tickets/${created.body.id}/messages`, { token: agent });
    expect(messages.body.items.at(-1)).toMatchObject({ body: 'VIP-Ticket von Anna', public: false, authorId: 'trigger:vip' });
    // The subscription filters on StatusChanged, yet gets the notification addressed to it.
    const received = await eventually(
      async () => to.accepted.filter((r) => r.body.type === 'WebhookNotified'),
      (found) => found.length === 1,
    );
    expect(received[0]!.body.detail).toMatchObject({ ticketId: created.body.id, webhookId: subscribed.body.id, priority: 'urgent' });
    expect((await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() })).body).toMatchObject({
      priority: 'normal',
      team: null,
    });
    await call(rt.url, 'DELETE', '/v1/triggers/vip', { token: supervisor });
    await call(rt.url, 'DELETE', '/v1/triggers/urgent-to-tier2', { token: supervisor });
  });

  it('a macro preview writes nothing; applying needs If-Match and is one change', async () => {
    expect(
      (
        await put('/v1/macros/refund', {
          title: 'Refund issued',
          actions: [
            { field: 'public_reply', value: 'Your refund is on its way, {{ticket.requester.first_name}}.' },
            { field: 'status', value: 'pending' },
            { field: 'add_tags', value: 'refunded' },
          ],
        })
      ).status,
    ).toBe(201);
    const ticket = (await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() })).body;
    const before = await settledTables(deps);
    const preview = await call(rt.url, 'POST', `/v1/tickets/${ticket.id}/macros/refund/preview`, { token: agent });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.ticket).toMatchObject({ status: 'pending', tags: ['refunded'], messageCount: 1, version: ticket.version + 4 });
    // The agent's public reply opens the new ticket, then the macro sets it pending.
    expect(preview.body.events.map((e: { type: string; causedBy: string | null }) => `${e.type}<-${e.causedBy}`)).toEqual([
      'MessageAdded<-macro:refund',
      'StatusChanged<-macro:refund',
      'StatusChanged<-macro:refund',
      'TagsSet<-macro:refund',
    ]);
    expect(await scanAllTables(deps)).toBe(before);

    const apply = (ifMatch?: string) =>
      call(rt.url, 'POST', `/v1/tickets/${ticket.id}/macros/refund`, { token: agent, headers: ifMatch ? { 'if-match': ifMatch } : {} });
    expect((await apply()).status).toBe(428);
    expect((await apply('"999"')).status).toBe(412);
    expect(
      (await call(rt.url, 'POST', `/v1/tickets/${ticket.id}/macros/nope`, { token: agent, headers: { 'if-match': '*' } })).status,
    ).toBe(404);
    const applied = await apply(`"${ticket.version}"`);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body).toMatchObject({ status: 'pending', tags: ['refunded'], messageCount: 1 });
    const messages = await call(rt.url, 'GET', `/v1/tickets/${ticket.id}/messages`, { token: agent });
    expect(messages.body.items.at(-1)).toMatchObject({ body: 'Your refund is on its way, Anna.', public: true, authorId: 'agent-1' });
  });

  it('an automation fires within a minute of becoming true after a moved clock, once, with its timer delivered twice', async () => {
    const nudge = {
      title: 'Nudge after 2 hours',
      conditions: {
        all: [
          { field: 'hours_since_created', operator: 'greater_than', value: 2 },
          { field: 'tags', operator: 'not_includes', value: 'nudged' },
        ],
      },
      actions: [
        { field: 'add_tags', value: 'nudged' },
        { field: 'priority', value: 'high' },
      ],
    };
    // A ticket opened before the automation exists: the sweep plans its timer when the automation is put.
    const early = (await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() })).body;
    expect((await put('/v1/automations/nudge', nudge)).status).toBe(201);
    const ticket = (await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() })).body;
    const dueAt = new Date(Date.parse(ticket.createdAt) + hours(2)).toISOString();
    expect(ticket.automations).toEqual({ due: { nudge: dueAt }, fired: {} });
    await eventually(
      async () => scheduler.pending().filter((s) => s.name.startsWith('automation-') && s.target === 'sla-checker').length,
      (n) => n >= 2,
    );

    offsetMs += Date.parse(dueAt) + 5_000 - now().getTime();
    const movedAt = Date.now();
    const fired = await eventually(
      () => call(rt.url, 'GET', `/v1/tickets/${ticket.id}`, { token: agent }),
      (r) => r.body.tags.includes('nudged') && r.body.priority === 'high',
      60_000,
    );
    expect(Date.now() - movedAt).toBeLessThan(60_000);
    expect(fired.body).toMatchObject({ priority: 'high', automations: { due: {}, fired: { nudge: dueAt } } });
    expect(
      (
        await eventually(
          () => call(rt.url, 'GET', `/v1/tickets/${early.id}`, { token: agent }),
          (r) => r.body.tags.includes('nudged') && r.body.priority === 'high',
          30_000,
        )
      ).body.priority,
    ).toBe('high');

    // The same timer again, late: the ticket finds the plan moved on and writes nothing.
    await scheduler.scheduleOnce({
      name: 'automation-delivered-twice',
      at: now(),
      target: 'sla-checker',
      payload: { kind: 'automation', ticketId: ticket.id, tenantId: 'acme', automationId: 'nudge', dueAt },
    });
    await eventually(
      async () => scheduler.pending().some((s) => s.name === 'automation-delivered-twice'),
      (pending) => !pending,
    );
    const after = await call(rt.url, 'GET', `/v1/tickets/${ticket.id}`, { token: agent });
    expect(after.body.version).toBe(fired.body.version);
    expect((await typesAndCauses(ticket.id)).filter((line: string) => line.includes('automation:'))).toEqual([
      'AutomationFired<-automation:nudge',
      'TagsSet<-automation:nudge',
      'PriorityChanged<-automation:nudge',
    ]);
    expect(scheduler.deadLetters).toEqual([]);
  });
});
