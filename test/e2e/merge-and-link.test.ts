import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, newTicket, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('merging and linking tickets, over HTTP', () => {
  let rt: TestRuntime;
  let agent: string;
  const open = async (subject: string) => {
    const created = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ subject }) });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const say = async (id: string, body: string) =>
    expect((await call(rt.url, 'POST', `/v1/tickets/${id}/messages`, { token: agent, body: { body, from: 'requester' } })).status).toBe(
      201,
    );
  const eventTypes = async (id: string) =>
    (await call(rt.url, 'GET', `/v1/tickets/${id}/events`, { token: agent })).body.items.map((e: { type: string }) => e.type);

  beforeAll(async () => {
    rt = await startTestRuntime();
    agent = await rt.token('acme', ['agent'], 'agent-7');
  });
  afterAll(() => rt.stop());

  it('merges two tickets into a third: sources closed, messages read from the target in time order, later writes 409', async () => {
    const target = await open('Refund please (web)');
    const fromMail = await open('Refund please (mail)');
    const fromChat = await open('Refund please (chat)');
    await say(fromMail, 'first, by mail');
    await say(target, 'second, on the web');
    await say(fromChat, 'third, by chat');

    const merged = await call(rt.url, 'POST', `/v1/tickets/${target}/merge`, { token: agent, body: { sourceIds: [fromMail, fromChat] } });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: target, mergedFrom: [fromMail, fromChat], mergedInto: null });
    expect(merged.headers.get('etag')).toBe(`"${merged.body.version}"`);

    for (const source of [fromMail, fromChat]) {
      const read = await call(rt.url, 'GET', `/v1/tickets/${source}`, { token: agent });
      expect(read.body).toMatchObject({ status: 'closed', mergedInto: target });
      expect(await eventTypes(source)).toEqual(expect.arrayContaining(['MergedInto', 'StatusChanged']));
      for (const [method, path, body] of [
        ['PATCH', `/v1/tickets/${source}`, { priority: 'high' }],
        ['POST', `/v1/tickets/${source}/messages`, { body: 'more', from: 'requester' }],
        ['POST', `/v1/tickets/${source}/links`, { ticketId: target, kind: 'related' }],
        ['POST', `/v1/tickets/${source}/merge`, { sourceIds: [target] }],
      ] as const) {
        const refused = await call(rt.url, method, path, { token: agent, body });
        expect(refused.status, `${method} ${path}`).toBe(409);
        expect(refused.body).toMatchObject({ code: 'ticket_merged', mergedInto: target });
      }
    }
    expect(await eventTypes(target)).toContain('MergedTicketsTaken');

    const messages = await call(rt.url, 'GET', `/v1/tickets/${target}/messages`, { token: agent });
    expect(messages.body.items.map((m: { body: string; ticketId: string }) => [m.body, m.ticketId])).toEqual([
      ['first, by mail', fromMail],
      ['second, on the web', target],
      ['third, by chat', fromChat],
    ]);

    // Merging again is done already; the queue shows the sources closed.
    const again = await call(rt.url, 'POST', `/v1/tickets/${target}/merge`, { token: agent, body: { sourceIds: [fromMail] } });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(merged.body.version);
    await eventually(
      () => call(rt.url, 'GET', '/v1/tickets?status=closed', { token: agent }),
      (reply) =>
        [fromMail, fromChat].every((id) =>
          reply.body.items.some((t: { id: string; mergedInto: string }) => t.id === id && t.mergedInto === target),
        ),
    );

    // A ticket merged into a target that is merged later: its messages follow.
    const outer = await open('Outer');
    expect((await call(rt.url, 'POST', `/v1/tickets/${outer}/merge`, { token: agent, body: { sourceIds: [target] } })).status).toBe(200);
    const outerMessages = await call(rt.url, 'GET', `/v1/tickets/${outer}/messages`, { token: agent });
    expect(outerMessages.body.items.map((m: { body: string }) => m.body)).toEqual([
      'first, by mail',
      'second, on the web',
      'third, by chat',
    ]);
  });

  it('refuses a merge that cannot be done, and writes nothing', async () => {
    const target = await open('Target');
    const source = await open('Source');
    const stranger = await rt.token('globex', ['agent']);
    const theirs = (await call(rt.url, 'POST', '/v1/tickets', { token: stranger, body: newTicket() })).body.id as string;
    const before = async () => [await eventTypes(target), await eventTypes(source)];
    const snapshot = await before();

    const itself = await call(rt.url, 'POST', `/v1/tickets/${target}/merge`, { token: agent, body: { sourceIds: [source, target] } });
    expect(itself.status).toBe(400);
    expect(itself.body.errors[0]).toMatchObject({ path: '/sourceIds' });
    const foreign = await call(rt.url, 'POST', `/v1/tickets/${target}/merge`, { token: agent, body: { sourceIds: [source, theirs] } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0]).toMatchObject({ path: '/sourceIds/1', location: 'body' });
    const empty = await call(rt.url, 'POST', `/v1/tickets/${target}/merge`, { token: agent, body: { sourceIds: [] } });
    expect(empty.status).toBe(400);
    expect(await before()).toEqual(snapshot);

    // Into one of its own sources: that source is closed as merged.
    expect((await call(rt.url, 'POST', `/v1/tickets/${target}/merge`, { token: agent, body: { sourceIds: [source] } })).status).toBe(200);
    const back = await call(rt.url, 'POST', `/v1/tickets/${source}/merge`, { token: agent, body: { sourceIds: [target] } });
    expect(back.status).toBe(409);
    expect(back.body).toMatchObject({ code: 'ticket_merged', mergedInto: target });

    // Another tenant: 404 on every new route, and the ticket stays as it was.
    const theirTarget = await open('Not theirs');
    for (const [method, path, body] of [
      ['POST', `/v1/tickets/${theirTarget}/merge`, { sourceIds: [theirs] }],
      ['POST', `/v1/tickets/${theirTarget}/links`, { ticketId: theirs, kind: 'related' }],
      ['DELETE', `/v1/tickets/${theirTarget}/links/${theirs}`],
    ] as const) {
      const reply = await call(rt.url, method, path, { token: stranger, body });
      expect(reply.status, `${method} ${path}`).toBe(404);
    }
    expect(await eventTypes(theirTarget)).toEqual(['TicketOpened']);
  });

  it('links show on both tickets, with the reverse kind, and unlink from both', async () => {
    const outage = await open('Outage');
    const complaint = await open('Cannot log in');
    const linked = await call(rt.url, 'POST', `/v1/tickets/${complaint}/links`, {
      token: agent,
      body: { ticketId: outage, kind: 'caused-by' },
    });
    expect(linked.status).toBe(200);
    expect(linked.body.links).toEqual([{ ticketId: outage, kind: 'caused-by' }]);
    const other = await call(rt.url, 'GET', `/v1/tickets/${outage}`, { token: agent });
    expect(other.body.links).toEqual([{ ticketId: complaint, kind: 'causes' }]);

    const self = await call(rt.url, 'POST', `/v1/tickets/${outage}/links`, { token: agent, body: { ticketId: outage, kind: 'related' } });
    expect(self.status).toBe(400);
    const badKind = await call(rt.url, 'POST', `/v1/tickets/${outage}/links`, {
      token: agent,
      body: { ticketId: complaint, kind: 'causes' },
    });
    expect(badKind.status).toBe(400);
    const missing = await call(rt.url, 'POST', `/v1/tickets/${outage}/links`, {
      token: agent,
      body: { ticketId: '01JDZ0000000000000000000ZZ', kind: 'related' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatchObject({ path: '/ticketId' });

    const unlinked = await call(rt.url, 'DELETE', `/v1/tickets/${outage}/links/${complaint}`, { token: agent });
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.links).toEqual([]);
    expect((await call(rt.url, 'GET', `/v1/tickets/${complaint}`, { token: agent })).body.links).toEqual([]);
    const gone = await call(rt.url, 'DELETE', `/v1/tickets/${outage}/links/${complaint}`, { token: agent });
    expect(gone.status).toBe(404);
    expect(await eventTypes(complaint)).toEqual(['TicketOpened', 'TicketLinked', 'TicketUnlinked']);
  });
});
