import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../../functions/shared/application/change-feed.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { call, newTicket, sequenced, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('the change feed on the local runtime', () => {
  let rt: TestRuntime;
  let deps: Deps;
  let integrator: string;
  let agent: string;
  let auditor: string;
  const requester = { email: 'mila.novak@example.cz', name: 'Mila Novak', country: 'CZ' };
  const secret = 'My card ends 4242 and my PIN is 1234';
  const tickets: string[] = [];

  /** Every change from the cursor on, page by page, and the cursor to resume from. */
  const readAll = async (cursor?: string, limit = 3) => {
    const items: Change[] = [];
    for (;;) {
      const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
      const reply = await call(rt.url, 'GET', `/v1/changes?${query}`, { token: integrator });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...reply.body.items);
      cursor = reply.body.nextCursor;
      if (reply.body.endOfStream) return { items, cursor: cursor! };
    }
  };

  beforeAll(async () => {
    rt = await startTestRuntime();
    deps = rt.endpoints[0]!.deps;
    integrator = await rt.token('acme', ['integrator'], 'crm-sync');
    agent = await rt.token('acme', ['agent'], 'agent-1');
    auditor = await rt.token('acme', ['auditor'], 'auditor-1');
    for (const subject of ['Parcel lost', 'Invoice wrong']) {
      const created = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ subject, requester }) });
      expect(created.status).toBe(201);
      tickets.push(created.body.id);
    }
    await call(rt.url, 'POST', `/v1/tickets/${tickets[0]}/messages`, { token: agent, body: { body: secret, from: 'requester' } });
    await call(rt.url, 'PATCH', `/v1/tickets/${tickets[1]}`, { token: agent, body: { status: 'pending', tags: ['billing'] } });
    // An auditor's read is an event of the tenant's log too, but not a change.
    expect((await call(rt.url, 'GET', `/v1/audit/tickets/${tickets[0]}`, { token: auditor })).status).toBe(200);
    const globex = await rt.token('globex', ['agent'], 'agent-9');
    expect((await call(rt.url, 'POST', '/v1/tickets', { token: globex, body: newTicket() })).status).toBe(201);
    await sequenced(deps);
  }, 60_000);
  afterAll(() => rt?.stop());

  it("gives every ticket event of the tenant once, in its log's order, chained, without personal data", async () => {
    const { items } = await readAll();
    const log = await call(rt.url, 'GET', '/v1/audit/events?limit=1000', { token: auditor });
    const ticketEntries = log.body.items.filter((entry: { streamId: string }) => entry.streamId.startsWith('ticket#'));
    expect(items.map((item) => item.seq)).toEqual(ticketEntries.map((entry: { seq: number }) => entry.seq));
    expect(items.map((item) => item.type)).toContain('TicketOpened');
    expect(items.map((item) => item.type)).toContain('MessageAdded');
    expect(items.map((item) => item.type)).toContain('StatusChanged');
    expect(items.map((item) => item.type)).not.toContain('AuditorRead');
    expect(new Set(items.map((item) => item.detail.tenantId))).toEqual(new Set(['acme']));
    expect(items[0]).toMatchObject({ previousSeq: null, previousHash: null, source: 'meridian.tickets' });
    items.slice(1).forEach((item, i) => expect([item.previousSeq, item.previousHash]).toEqual([items[i]!.seq, items[i]!.hash]));
    const text = JSON.stringify(items);
    for (const value of [requester.email, requester.name, secret, 'Parcel lost', 'Invoice wrong']) expect(text).not.toContain(value);
  });

  it('resumes from the last cursor with exactly what was logged since, chained to what came before', async () => {
    const first = await readAll();
    expect((await readAll(first.cursor)).items).toEqual([]);
    await call(rt.url, 'POST', `/v1/tickets/${tickets[1]}/messages`, { token: agent, body: { body: 'We are on it', from: 'agent' } });
    await sequenced(deps);
    const { items } = await readAll(first.cursor);
    expect(items.map((item) => item.type)).toContain('MessageAdded');
    expect(items.every((item) => item.detail.ticketId === tickets[1])).toBe(true);
    expect([items[0]!.previousSeq, items[0]!.previousHash]).toEqual([first.items.at(-1)!.seq, first.items.at(-1)!.hash]);
    // A page size of one gives the same changes.
    expect((await readAll(undefined, 1)).items).toEqual([...first.items, ...items]);
  });

  it('refuses a cursor it did not give, a bad limit, and roles without the feed, with a problem', async () => {
    for (const query of ['cursor=nope', `cursor=${Buffer.from('[5,9,null]').toString('base64url')}`, 'limit=0', 'limit=1001', 'since=x']) {
      const reply = await call(rt.url, 'GET', `/v1/changes?${query}`, { token: integrator });
      expect(reply.status, query).toBe(400);
      expect(reply.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await call(rt.url, 'GET', '/v1/changes', { token: agent })).status).toBe(403);
    expect((await call(rt.url, 'GET', '/v1/changes', { token: auditor })).status).toBe(403);
  });
});
