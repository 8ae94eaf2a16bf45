import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../../functions/shared/application/change-feed.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { nameResolver } from '../support/name-resolver.ts';
import { call, eventually, newTicket, sequenced, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const retryDelaysMs = [50, 100, 150, 200, 250, 300, 350];

describe('webhook subscriptions and deliveries on the local runtime (receivers on 127.0.0.1)', () => {
  let rt: TestRuntime;
  let deps: Deps;
  let integrator: string;
  let agent: string;
  let other: string;
  const receivers: WebhookReceiver[] = [];
  const requester = { email: 'jonas.berg@example.se', name: 'Jonas Berg', country: 'SE' };
  const message = 'My password is hunter2, please reset it';

  const receiver = async () => {
    const made = await new WebhookReceiver().start();
    receivers.push(made);
    return made;
  };
  const subscribe = async (to: WebhookReceiver, body: Record<string, unknown> = {}) => {
    const reply = await call(rt.url, 'POST', '/v1/webhooks', {
      token: integrator,
      body: { url: to.url, events: ['TicketOpened', 'MessageAdded', 'StatusChanged', 'TicketAssigned'], ...body },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    to.secrets.push(reply.body.signingSecret);
    return reply.body as { id: string; signingSecret: string };
  };
  /** A scripted lifecycle: opened, a message, assigned, pending, solved. */
  const lifecycle = async (subject = 'Cannot log in') => {
    const created = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ subject, requester }) });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(
      (await call(rt.url, 'POST', `/v1/tickets/${id}/messages`, { token: agent, body: { body: message, from: 'requester' } })).status,
    ).toBe(201);
    expect(
      (await call(rt.url, 'PATCH', `/v1/tickets/${id}`, { token: agent, body: { assignee: 'agent-1', status: 'pending' } })).status,
    ).toBe(200);
    expect((await call(rt.url, 'PATCH', `/v1/tickets/${id}`, { token: agent, body: { status: 'solved' } })).status).toBe(200);
    await sequenced(deps);
    return id;
  };
  /** The tenant's changes of these types, from the change feed: what a subscription to them must get. */
  const changesOf = async (types: string[]) => {
    const items: Change[] = [];
    let cursor: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ limit: '1000', ...(cursor ? { cursor } : {}) });
      const reply = await call(rt.url, 'GET', `/v1/changes?${query}`, { token: integrator });
      items.push(...reply.body.items);
      cursor = reply.body.nextCursor;
      if (reply.body.endOfStream) return items.filter((item) => types.includes(item.type));
    }
  };
  const deliveredSeqs = (to: WebhookReceiver) => to.unique().map((received) => received.body.seq);
  /** The subscription's delivery records, newest first, once they satisfy `accept` (each page of them is written after its deliveries). */
  const recordsOf = async (id: string, accept: (items: Array<Record<string, any>>) => boolean) =>
    (
      await eventually(
        () => call(rt.url, 'GET', `/v1/webhooks/${id}/deliveries?limit=100`, { token: integrator }),
        (reply) => Array.isArray(reply.body.items) && accept(reply.body.items),
        10_000,
      )
    ).body.items as Array<Record<string, any>>;

  beforeAll(async () => {
    rt = await startTestRuntime({ webhookRetryDelaysMs: retryDelaysMs, outbound: { totalTimeoutMs: 400 } });
    deps = rt.endpoints[0]!.deps;
    integrator = await rt.token('acme', ['integrator'], 'crm-sync');
    agent = await rt.token('acme', ['agent'], 'agent-1');
    other = await rt.token('globex', ['integrator'], 'globex-sync');
  }, 60_000);
  afterAll(async () => {
    await rt?.stop();
    await Promise.all(receivers.map((r) => r.stop()));
  });

  it('delivers every matching event of a lifecycle once, in log order, chained, verifiable, and without personal data', async () => {
    const to = await receiver();
    const { id } = await subscribe(to);
    await lifecycle();
    const types = ['TicketOpened', 'MessageAdded', 'StatusChanged', 'TicketAssigned'];
    const expected = await changesOf(types);
    const fresh = expected.filter((change) => change.seq > 0);
    await eventually(
      async () => deliveredSeqs(to),
      (seqs) => seqs.length >= fresh.length,
      10_000,
    );
    expect(to.refused).toEqual([]);
    const unique = to.unique();
    expect(unique.map((r) => r.body.seq)).toEqual(fresh.map((change) => change.seq));
    expect(unique.map((r) => r.body.type)).toEqual(expect.arrayContaining(types));
    // Chained: each names the one before it to this subscription.
    expect(unique[0]!.body.previousSeq).toBeNull();
    unique
      .slice(1)
      .forEach((r, i) => expect([r.body.previousSeq, r.body.previousHash]).toEqual([unique[i]!.body.seq, unique[i]!.body.hash]));
    // The body is the change as the feed has it; webhook-id is the event's id.
    expect(unique.map((r) => ({ ...r.body, previousSeq: null, previousHash: null }))).toEqual(
      fresh.map((change) => ({ ...change, previousSeq: null, previousHash: null })),
    );
    expect(unique.map((r) => r.id)).toEqual(fresh.map((change) => change.detail.eventId));
    const text = to.accepted.map((r) => r.raw).join('\n');
    for (const value of [requester.email, requester.name, message, 'Cannot log in']) expect(text).not.toContain(value);
    const deliveries = await recordsOf(id, (items) => items.length === fresh.length);
    expect(deliveries.map((d) => d.seq)).toEqual(fresh.map((change) => change.seq).reverse());
    expect(deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 204, nextAttemptAt: null });
    await call(rt.url, 'DELETE', `/v1/webhooks/${id}`, { token: integrator });
  });

  it('takes an EventBridge pattern: only urgent tickets opened', async () => {
    const to = await receiver();
    const { id } = await subscribe(to, { events: { 'detail-type': ['TicketOpened'], detail: { priority: ['urgent'] } } });
    await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ priority: 'low' }) });
    const urgent = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ priority: 'urgent' }) });
    await sequenced(deps);
    await eventually(
      async () => to.unique().length,
      (n) => n >= 1,
      10_000,
    );
    await new Promise((done) => setTimeout(done, 300));
    expect(to.unique().map((r) => (r.body.detail as { ticketId: string }).ticketId)).toEqual([urgent.body.id]);
    await call(rt.url, 'DELETE', `/v1/webhooks/${id}`, { token: integrator });
  });

  it('a receiver that answers 500, then hangs, gets everything once it recovers, in order', async () => {
    const to = await receiver();
    to.answer = (n) => (n <= 3 ? { status: 500 } : n <= 5 ? { status: 204, hangMs: 1000 } : { status: 204 });
    const { id } = await subscribe(to);
    const before = (await changesOf(['TicketOpened', 'MessageAdded', 'StatusChanged', 'TicketAssigned'])).at(-1)?.seq ?? 0;
    await lifecycle('Order 1');
    await lifecycle('Order 2');
    const expected = (await changesOf(['TicketOpened', 'MessageAdded', 'StatusChanged', 'TicketAssigned'])).filter((c) => c.seq > before);
    await eventually(
      async () => deliveredSeqs(to),
      (seqs) => seqs.length >= expected.length,
      20_000,
    );
    expect(deliveredSeqs(to)).toEqual(expected.map((change) => change.seq));
    const first = (await recordsOf(id, (items) => items.length === expected.length)).at(-1)!;
    expect(first.attempts).toBeGreaterThanOrEqual(4);
    expect(first.status).toBe('delivered');
    await call(rt.url, 'DELETE', `/v1/webhooks/${id}`, { token: integrator });
  });

  it('a replay from a seq re-sends exactly what followed it, in order, with the same webhook-ids', async () => {
    const to = await receiver();
    const { id } = await subscribe(to);
    const types = ['TicketOpened', 'MessageAdded', 'StatusChanged', 'TicketAssigned'];
    const before = (await changesOf(types)).at(-1)?.seq ?? 0;
    await lifecycle('Replay me');
    // Everything first delivered and recorded: the replay then competes with nothing.
    const expected = (await changesOf(types)).filter((c) => c.seq > before);
    await recordsOf(id, (items) => items.length === expected.length);
    expect(to.unique().map((r) => r.body.seq)).toEqual(expected.map((c) => c.seq));
    const delivered = to.unique();
    const from = delivered[2]!.body.seq;
    to.accepted.length = 0;
    const replay = await call(rt.url, 'POST', `/v1/webhooks/${id}/replay`, { token: integrator, body: { fromSeq: from } });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ fromSeq: from, previousSeq: delivered[1]!.body.seq });
    const wanted = delivered.filter((r) => r.body.seq >= from);
    await eventually(
      async () => to.accepted.length,
      (n) => n >= wanted.length,
      10_000,
    );
    await new Promise((done) => setTimeout(done, 300));
    expect(to.accepted.map((r) => [r.id, r.body.seq])).toEqual(wanted.map((r) => [r.id, r.body.seq]));
    expect(to.accepted[0]!.body.previousSeq).toBe(delivered[1]!.body.seq);
    await call(rt.url, 'DELETE', `/v1/webhooks/${id}`, { token: integrator });
  });

  it('a rotated secret signs beside the old one: receivers holding either verify', async () => {
    const oldOnly = await receiver();
    const { id, signingSecret } = await subscribe(oldOnly);
    const rotated = await call(rt.url, 'POST', `/v1/webhooks/${id}/rotate-secret`, { token: integrator });
    expect(rotated.status).toBe(200);
    expect(rotated.body.signingSecret).toMatch(/^whsec_/);
    expect(Date.parse(rotated.body.previousSecretsUntil) - Date.now()).toBeGreaterThan(23 * 3600_000);
    oldOnly.secrets = [signingSecret];
    const newOnly = await receiver();
    newOnly.secrets = [rotated.body.signingSecret];
    // The same subscription, pointed at the receiver that holds only the new secret after the first event.
    await lifecycle('Rotation');
    await eventually(
      async () => oldOnly.unique().length,
      (n) => n >= 5,
      10_000,
    );
    expect(oldOnly.refused).toEqual([]);
    expect((await call(rt.url, 'PATCH', `/v1/webhooks/${id}`, { token: integrator, body: { url: newOnly.url } })).status).toBe(200);
    await lifecycle('Rotation 2');
    await eventually(
      async () => newOnly.unique().length,
      (n) => n >= 5,
      10_000,
    );
    expect(newOnly.refused).toEqual([]);
    expect(String(newOnly.accepted[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    await call(rt.url, 'DELETE', `/v1/webhooks/${id}`, { token: integrator });
  });

  it('pauses a subscription whose delivery keeps failing, says why, and resumes from that event when switched on', async () => {
    const to = await receiver();
    to.answer = () => ({ status: 503 });
    const { id } = await subscribe(to, { events: ['TicketOpened'] });
    const ticket = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() });
    await sequenced(deps);
    const paused = await eventually(
      async () => (await call(rt.url, 'GET', `/v1/webhooks/${id}`, { token: integrator })).body,
      (body) => body.status === 'paused',
      15_000,
    );
    expect(to.requests).toBe(retryDelaysMs.length + 1);
    expect(paused.paused.reason).toMatch(/failed 8 times .* HTTP 503/);
    const [failed] = (await call(rt.url, 'GET', `/v1/webhooks/${id}/deliveries`, { token: integrator })).body.items;
    expect(failed).toMatchObject({ status: 'failed', attempts: 8, responseStatus: 503, nextAttemptAt: null });
    // Nothing is sent while paused.
    await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() });
    await sequenced(deps);
    await new Promise((done) => setTimeout(done, 300));
    expect(to.requests).toBe(8);
    to.answer = () => ({ status: 200 });
    const resumed = await call(rt.url, 'PATCH', `/v1/webhooks/${id}`, { token: integrator, body: { active: true } });
    expect(resumed.body).toMatchObject({ status: 'active', paused: null });
    await eventually(
      async () => to.unique().length,
      (n) => n >= 2,
      10_000,
    );
    expect((to.unique()[0]!.body.detail as { ticketId: string }).ticketId).toBe(ticket.body.id);
    await call(rt.url, 'DELETE', `/v1/webhooks/${id}`, { token: integrator });
  });

  it('retries one delivery on request, with the same webhook-id and body', async () => {
    const to = await receiver();
    const { id } = await subscribe(to, { events: ['TicketOpened'] });
    await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() });
    await sequenced(deps);
    const delivery = (await recordsOf(id, (items) => items.length === 1))[0]!;
    const retried = await call(rt.url, 'POST', `/v1/webhooks/${id}/deliveries/${delivery.id}/retry`, { token: integrator });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: delivery.id, attempts: 2, status: 'delivered' });
    expect(to.accepted).toHaveLength(2);
    expect(to.accepted[1]!.id).toBe(to.accepted[0]!.id);
    expect(to.accepted[1]!.raw).toBe(to.accepted[0]!.raw);
    expect((await call(rt.url, 'POST', `/v1/webhooks/${id}/deliveries/999999/retry`, { token: integrator })).status).toBe(404);
    await call(rt.url, 'DELETE', `/v1/webhooks/${id}`, { token: integrator });
  });

  it('does not follow a redirect', async () => {
    const elsewhere = await receiver();
    const to = await receiver();
    to.answer = (n) => (n === 1 ? { status: 307, headers: { location: elsewhere.url } } : { status: 204 });
    const { id } = await subscribe(to, { events: ['TicketOpened'] });
    await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() });
    await sequenced(deps);
    const [delivery] = await recordsOf(id, (items) => items[0]?.status === 'delivered');
    expect(elsewhere.requests).toBe(0);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    await call(rt.url, 'DELETE', `/v1/webhooks/${id}`, { token: integrator });
  });

  it('manages subscriptions: list, read, change, delete; never shows a secret; 404 to another tenant; problems for bad input', async () => {
    const to = await receiver();
    const { id } = await subscribe(to, { description: 'CRM sync' });
    const list = await call(rt.url, 'GET', '/v1/webhooks', { token: integrator });
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toMatch(/whsec_|pii:1/);
    const one = await call(rt.url, 'GET', `/v1/webhooks/${id}`, { token: integrator });
    expect(one.body).toMatchObject({ id, url: to.url, description: 'CRM sync', active: true, status: 'active', paused: null });
    const off = await call(rt.url, 'PATCH', `/v1/webhooks/${id}`, { token: integrator, body: { active: false, description: null } });
    expect(off.body).toMatchObject({ status: 'inactive', description: null });
    for (const [method, path, body] of [
      ['GET', `/v1/webhooks/${id}`],
      ['PATCH', `/v1/webhooks/${id}`, { active: true }],
      ['DELETE', `/v1/webhooks/${id}`],
      ['GET', `/v1/webhooks/${id}/deliveries`],
      ['POST', `/v1/webhooks/${id}/rotate-secret`],
      ['POST', `/v1/webhooks/${id}/replay`, { fromSeq: 1 }],
      ['POST', `/v1/webhooks/${id}/deliveries/1/retry`],
    ] as const) {
      const reply = await call(rt.url, method, path, { token: other, body });
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
    }
    const bad = [
      { url: to.url, events: ['NoSuchEvent'] },
      { url: to.url, events: [] },
      { url: to.url, events: { detail: { priority: 'urgent' } } },
      { url: 'not a url', events: ['TicketOpened'] },
      { url: to.url, events: ['TicketOpened'], secret: 'mine' },
    ];
    for (const body of bad) {
      const reply = await call(rt.url, 'POST', '/v1/webhooks', { token: integrator, body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
    }
    expect((await call(rt.url, 'POST', '/v1/webhooks', { token: agent, body: { url: to.url, events: ['TicketOpened'] } })).status).toBe(
      403,
    );
    expect((await call(rt.url, 'POST', `/v1/webhooks/${id}/replay`, { token: integrator, body: {} })).status).toBe(400);
    expect((await call(rt.url, 'DELETE', `/v1/webhooks/${id}`, { token: integrator })).status).toBe(204);
    expect((await call(rt.url, 'GET', `/v1/webhooks/${id}`, { token: integrator })).status).toBe(404);
  });
});

/** Names the test resolves: a public one, one that points inside, and one whose address changes after the check. */
const names: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34'],
  'internal.example.com': ['10.1.2.3'],
  'rebind.example.com': ['93.184.216.34'],
};
const resolver = nameResolver(names);

describe('webhook URLs in AWS mode: never inside', () => {
  let rt: TestRuntime;
  let integrator: string;

  beforeAll(async () => {
    rt = await startTestRuntime({ outbound: { mode: 'aws', lookup: resolver, totalTimeoutMs: 300 } });
    integrator = await rt.token('acme', ['integrator'], 'crm-sync');
  }, 60_000);
  afterAll(() => rt?.stop());

  it('refuses metadata, private, loopback and privately resolving URLs with a 422 naming the rule', async () => {
    for (const [url, rule] of [
      ['https://169.254.169.254/latest/meta-data/', 'address'],
      ['https://10.0.0.1/hook', 'address'],
      ['https://[::1]/hook', 'address'],
      ['https://internal.example.com/hook', 'address'],
      ['http://hooks.example.com/hook', 'scheme'],
      ['https://user:pw@hooks.example.com/hook', 'credentials'],
      ['https://nowhere.example.com/hook', 'unresolvable'],
    ] as const) {
      const reply = await call(rt.url, 'POST', '/v1/webhooks', { token: integrator, body: { url, events: ['TicketOpened'] } });
      expect(reply.status, url).toBe(422);
      expect(reply.body).toMatchObject({ type: 'urn:meridian:problem:refused-url', rule });
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await call(rt.url, 'GET', '/v1/webhooks', { token: integrator })).body.items).toEqual([]);
  });

  it('refuses again at delivery time when the name has come to point inside', async () => {
    const created = await call(rt.url, 'POST', '/v1/webhooks', {
      token: integrator,
      body: { url: 'https://rebind.example.com/hook', events: ['TicketOpened'] },
    });
    expect(created.status).toBe(201);
    names['rebind.example.com'] = ['169.254.169.254'];
    const agent = await rt.token('acme', ['agent'], 'agent-1');
    await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() });
    await sequenced(rt.endpoints[0]!.deps);
    const [delivery] = await eventually(
      async () => (await call(rt.url, 'GET', `/v1/webhooks/${created.body.id}/deliveries`, { token: integrator })).body.items,
      (items) => items.length > 0,
      10_000,
    );
    expect(delivery).toMatchObject({ status: 'failing', responseStatus: null });
    expect(delivery.error).toMatch(/^refused: address: rebind\.example\.com is 169\.254\.169\.254/);
  });
});
