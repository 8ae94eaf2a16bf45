import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, newTicket, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('one ticket, end to end over HTTP', () => {
  let rt: TestRuntime;
  let agent: string;
  let eventCount: () => Promise<number>;

  beforeAll(async () => {
    rt = await startTestRuntime();
    agent = await rt.token('acme', ['agent'], 'agent-7');
    const { deps } = rt.endpoints[0]!;
    eventCount = async () =>
      (await deps.dynamodb.send(new ScanCommand({ TableName: deps.config.eventsTable, Select: 'COUNT' }))).Count ?? 0;
  });
  afterAll(() => rt.stop());

  it('create -> read with ETag -> message -> stale PATCH -> queue -> other tenant', async () => {
    const created = await call(rt.url, 'POST', '/v1/tickets', {
      token: agent,
      body: newTicket({ priority: 'high', tags: ['Refund', 'refund'] }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.headers.get('location')).toBe(`/v1/tickets/${id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ status: 'new', priority: 'high', tags: ['refund'], tenantId: 'acme', version: 1 });

    const read = await call(rt.url, 'GET', `/v1/tickets/${id}`, { token: agent });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body).toEqual(created.body);
    const notModified = await call(rt.url, 'GET', `/v1/tickets/${id}`, { token: agent, headers: { 'if-none-match': '"1"' } });
    expect(notModified.status).toBe(304);

    const message = await call(rt.url, 'POST', `/v1/tickets/${id}/messages`, {
      token: agent,
      body: { body: 'We are on it', from: 'agent' },
    });
    expect(message.status).toBe(201);
    expect(message.body).toMatchObject({ ticketId: id, from: 'agent', authorId: 'agent-7', body: 'We are on it', public: true });
    expect(message.headers.get('etag')).toBe('"3"'); // the reply opened the new ticket

    const stale = await call(rt.url, 'PATCH', `/v1/tickets/${id}`, {
      token: agent,
      body: { priority: 'urgent' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');
    const fresh = await call(rt.url, 'PATCH', `/v1/tickets/${id}`, {
      token: agent,
      body: { priority: 'urgent', assignee: 'agent-7' },
      headers: { 'if-match': '"3"' },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ priority: 'urgent', assignee: 'agent-7', status: 'open', version: 5 });

    const started = Date.now();
    const queue = await eventually(
      () => call(rt.url, 'GET', '/v1/tickets?status=open&assignee=agent-7', { token: agent }),
      (reply) => reply.body.items?.some((t: { id: string; version: number }) => t.id === id && t.version === 5),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(queue.body.items.find((t: { id: string }) => t.id === id)).toEqual(fresh.body);

    const stranger = await rt.token('globex', ['agent', 'supervisor']);
    for (const [method, path, body] of [
      ['GET', `/v1/tickets/${id}`],
      ['GET', `/v1/tickets/${id}/events`],
      ['GET', `/v1/tickets/${id}/messages`],
      ['PATCH', `/v1/tickets/${id}`, { priority: 'low' }],
      ['POST', `/v1/tickets/${id}/messages`, { body: 'hi', from: 'agent' }],
    ] as const) {
      const reply = await call(rt.url, method, path, { token: stranger, body });
      expect(reply.status, `${method} ${path}`).toBe(404);
    }
    const theirQueue = await call(rt.url, 'GET', '/v1/tickets', { token: stranger });
    expect(theirQueue.body.items).toEqual([]);

    const history = await call(rt.url, 'GET', `/v1/tickets/${id}/events`, { token: agent });
    expect(history.body.items.map((e: { type: string }) => e.type)).toEqual([
      'TicketOpened',
      'MessageAdded',
      'StatusChanged',
      'TicketAssigned',
      'PriorityChanged',
    ]);
    expect(history.body.items.map((e: { version: number }) => e.version)).toEqual([1, 2, 3, 4, 5]);
    expect(history.body.items[1]).toMatchObject({ region: 'eu-central-1', tenantId: 'acme', actor: { type: 'user', id: 'agent-7' } });
  });

  it("detects each message's language and direction, and the description's", async () => {
    const created = await call(rt.url, 'POST', '/v1/tickets', {
      token: agent,
      body: newTicket({
        subject: 'Paket',
        description: 'Wo ist mein Paket? Es sollte letzte Woche ankommen.',
        requester: { email: 'k@example.de', name: 'K', country: 'DE', locale: 'de-DE' },
      }),
    });
    expect(created.body).toMatchObject({ language: 'de', direction: 'ltr', requester: { locale: 'de-DE' } });
    const arabic = await call(rt.url, 'POST', `/v1/tickets/${created.body.id}/messages`, {
      token: agent,
      body: { body: 'أين طردي؟ كان من المفترض أن يصل الأسبوع الماضي', from: 'requester' },
    });
    expect(arabic.body).toMatchObject({ language: 'ar', direction: 'rtl' });
    const short = await call(rt.url, 'POST', `/v1/tickets/${created.body.id}/messages`, {
      token: agent,
      body: { body: 'Ok', from: 'agent' },
    });
    expect(short.body).toMatchObject({ language: null, direction: 'ltr' });
  });

  it('64 concurrent PATCHes leave a gapless stream with one event per change', async () => {
    const { body: ticket } = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() });
    const replies = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        call(rt.url, 'PATCH', `/v1/tickets/${ticket.id}`, { token: agent, body: { tags: [`writer-${i}`] } }),
      ),
    );
    expect(replies.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const { deps } = rt.endpoints[0]!;
    const { Items = [] } = await deps.dynamodb.send(
      new QueryCommand({
        TableName: deps.config.eventsTable,
        KeyConditionExpression: 'streamId = :s',
        ExpressionAttributeValues: { ':s': { S: `ticket#${ticket.id}` } },
        ConsistentRead: true,
      }),
    );
    expect(Items.map((item) => Number(item.version!.N))).toEqual(Array.from({ length: 65 }, (_, i) => i + 1));
    const tagged = Items.slice(1)
      .map((item) => JSON.parse(item.data!.S!).tags[0])
      .sort();
    expect(tagged).toEqual(Array.from({ length: 64 }, (_, i) => `writer-${i}`).sort());
    const versions = replies.map((r) => r.body.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 64 }, (_, i) => i + 2));
  });

  describe('Idempotency-Key', () => {
    it('the same key and body answer as the first time and append nothing', async () => {
      const body = newTicket({ subject: 'Idempotent' });
      const headers = { 'idempotency-key': 'create-1' };
      const first = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body, headers });
      const before = await eventCount();
      // Same JSON, other key order: the same request.
      const again = await call(rt.url, 'POST', '/v1/tickets', {
        token: agent,
        raw: JSON.stringify(Object.fromEntries(Object.entries(body).reverse())),
        headers: { ...headers, 'content-type': 'application/json' },
      });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('location')).toBe(first.headers.get('location'));
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await eventCount()).toBe(before);

      const other = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: { ...body, subject: 'Else' }, headers });
      expect(other.status).toBe(422);
      expect(other.headers.get('content-type')).toBe('application/problem+json');
      expect(await eventCount()).toBe(before);
    });

    it('keys are per tenant', async () => {
      const headers = { 'idempotency-key': 'shared-key' };
      const mine = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket(), headers });
      const theirs = await call(rt.url, 'POST', '/v1/tickets', {
        token: await rt.token('globex', ['integrator']),
        body: newTicket(),
        headers,
      });
      expect(theirs.status).toBe(201);
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('concurrent retries of one message append it once', async () => {
      const { body: ticket } = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() });
      const replies = await Promise.all(
        Array.from({ length: 8 }, () =>
          call(rt.url, 'POST', `/v1/tickets/${ticket.id}/messages`, {
            token: agent,
            body: { body: 'once', from: 'requester' },
            headers: { 'idempotency-key': 'msg-1' },
          }),
        ),
      );
      expect(new Set(replies.map((r) => r.status))).toEqual(new Set([201]));
      expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
      const messages = await call(rt.url, 'GET', `/v1/tickets/${ticket.id}/messages`, { token: agent });
      expect(messages.body.items).toHaveLength(1);
    });

    it('holds when the process died between the append and the answer', async () => {
      const { deps } = rt.endpoints[0]!;
      const append = deps.eventStore.append;
      deps.eventStore.append = async (...args) => {
        await append(...args);
        throw new Error('process died after the append');
      };
      const headers = { 'idempotency-key': 'crash-1' };
      const body = newTicket({ subject: 'Crash' });
      const lost = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body, headers });
      deps.eventStore.append = append;
      expect(lost.status).toBe(500);
      const before = await eventCount();
      const retried = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body, headers });
      expect(retried.status).toBe(201);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(retried.body.subject).toBe('Crash');
      expect(await eventCount()).toBe(before);
    });
  });

  describe('the queue', () => {
    it('pages with a cursor, filters, and refuses a forged cursor', async () => {
      const tenant = await rt.token('paging', ['integrator']);
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const reply = await call(rt.url, 'POST', '/v1/tickets', { token: tenant, body: newTicket({ subject: `t${i}` }) });
        ids.push(reply.body.id);
      }
      await call(rt.url, 'PATCH', `/v1/tickets/${ids[2]}`, { token: tenant, body: { team: 'dubai' } });
      await call(rt.url, 'PATCH', `/v1/tickets/${ids[5]}`, { token: tenant, body: { team: 'dubai', status: 'pending' } });
      await eventually(
        () => call(rt.url, 'GET', '/v1/tickets?team=dubai', { token: tenant }),
        (r) => r.body.items.length === 2,
      );

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof call>> = await call(
          rt.url,
          'GET',
          `/v1/tickets?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          { token: tenant },
        );
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.body.items.map((t: { id: string }) => t.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(ids);

      const dubaiNew = await call(rt.url, 'GET', '/v1/tickets?team=dubai&status=new&limit=1', { token: tenant });
      expect(dubaiNew.body).toEqual({ items: [expect.objectContaining({ id: ids[2] })], nextCursor: null });

      const page = await call(rt.url, 'GET', '/v1/tickets?limit=2', { token: tenant });
      const forged = Buffer.from(JSON.stringify({ q: '["acme",null,null,null]', k: { pk: 'x' } })).toString('base64url');
      for (const bad of ['garbage', forged]) {
        const reply = await call(rt.url, 'GET', `/v1/tickets?cursor=${bad}`, { token: tenant });
        expect(reply.status).toBe(400);
      }
      const otherQuery = await call(rt.url, 'GET', `/v1/tickets?status=open&cursor=${page.body.nextCursor}`, { token: tenant });
      expect(otherQuery.status).toBe(400);
    });
  });
});
