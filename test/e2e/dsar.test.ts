import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkErasureReceipt } from '../../events/erasure-receipt.ts';
import type { EventProof } from '../../events/event-proof.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import type { LocalBus } from '../../infra/local/local-bus.ts';
import type { LocalScheduler } from '../../infra/local/local-scheduler.ts';
import {
  auditCli,
  auditVerify,
  call,
  eventually,
  newTicket,
  scanAllTables,
  scanItems,
  sequenced,
  settledTables,
  startTestRuntime,
  type TestRuntime,
  writeTestDigest,
} from '../support/runtime.ts';

/** A clock the test moves, to reach a request's warning and due times. */
let now = new Date('2026-11-25T09:00:00.000Z');

describe('data-subject requests on the local runtime', () => {
  let rt: TestRuntime;
  let deps: Deps;
  let bus: LocalBus;
  let scheduler: LocalScheduler;
  let agent: string;
  let dpo: string;
  const anna = { email: 'anna.schmidt@example.de', name: 'Anna Schmidt', country: 'DE', locale: 'de-DE' };
  const secretText = 'My IBAN is DE89 3704 0044 0532 0130 00';
  const annasTickets: string[] = [];
  let othersTicket: string;
  let annasErasure: string;

  const dsar = (id: string) => call(rt.url, 'GET', `/v1/dsar/${id}`, { token: dpo });
  const file = async (body: unknown) => {
    const reply = await call(rt.url, 'POST', '/v1/dsar', { token: dpo, body });
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    return reply.body;
  };
  const fulfilled = (id: string) =>
    eventually(
      () => dsar(id),
      (r) => r.body.status === 'fulfilled',
      10_000,
    );
  const scanAll = () => scanAllTables(deps);

  beforeAll(async () => {
    // Digests only when a test writes one: whether an event is covered yet is then the test's to say.
    rt = await startTestRuntime({ clock: () => now, digestIntervalMs: 24 * 3600_000 });
    deps = rt.endpoints[0]!.deps;
    bus = rt.endpoints[0]!.bus;
    scheduler = rt.endpoints[0]!.scheduler;
    agent = await rt.token('acme', ['agent'], 'agent-1');
    dpo = await rt.token('acme', ['dpo'], 'dpo-1');
    for (const subject of ['Refund for order 1234', 'Address change']) {
      const created = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ subject, requester: anna }) });
      expect(created.status).toBe(201);
      annasTickets.push(created.body.id);
    }
    await call(rt.url, 'POST', `/v1/tickets/${annasTickets[0]}/messages`, { token: agent, body: { body: secretText, from: 'requester' } });
    othersTicket = (
      await call(rt.url, 'POST', '/v1/tickets', {
        token: agent,
        body: newTicket({ requester: { ...anna, email: 'bob@example.de', name: 'Bob Brown' } }),
      })
    ).body.id;
    // The requester index is a projection: wait until it lists both of Anna's tickets.
    await eventually(
      () => call(rt.url, 'GET', `/v1/tickets?requesterEmail=${encodeURIComponent(anna.email)}`, { token: agent }),
      (r) => r.body.items?.length === 2,
      10_000,
    );
  }, 60_000);
  afterAll(() => rt?.stop());

  it('refuses bad requests with a problem and writes nothing; only a DPO may file one', async () => {
    const before = await settledTables(deps);
    const both = await call(rt.url, 'POST', '/v1/dsar', {
      token: dpo,
      body: { type: 'access', law: 'gdpr', subject: { email: anna.email, requesterId: annasTickets[0] } },
    });
    expect(both.status).toBe(400);
    expect(both.headers.get('content-type')).toContain('application/problem+json');
    const noCorrections = await call(rt.url, 'POST', '/v1/dsar', {
      token: dpo,
      body: { type: 'rectification', law: 'gdpr', subject: { email: anna.email } },
    });
    expect(noCorrections.body.errors).toEqual([expect.objectContaining({ path: '/corrections' })]);
    expect(
      (await call(rt.url, 'POST', '/v1/dsar', { token: agent, body: { type: 'access', law: 'gdpr', subject: { email: anna.email } } }))
        .status,
    ).toBe(403);
    expect((await call(rt.url, 'GET', '/v1/dsar/01JDZ0000000000000000000AA', { token: dpo })).status).toBe(404);
    expect(await scanAll()).toBe(before);
  });

  it('answers an access request with a bundle of every ticket, message and event on the subject, decrypted', async () => {
    const filed = await file({ type: 'access', law: 'gdpr', subject: { email: anna.email }, notes: 'Asked by phone on 24 Nov' });
    expect(filed).toMatchObject({
      status: 'received',
      law: 'gdpr',
      dueAt: '2026-12-25T09:00:00.000Z',
      warnAt: '2026-12-18T09:00:00.000Z',
      notes: 'Asked by phone on 24 Nov',
    });
    const done = await fulfilled(filed.id);
    expect(done.body.result).toMatchObject({ type: 'access', tickets: 2, messages: 1 });
    expect(done.body.history.map((h: { event: string }) => h.event)).toEqual(['DsarRequested', 'DsarFulfilled']);
    const bundle = await call(rt.url, 'GET', `/v1/dsar/${filed.id}/export`, { token: dpo });
    expect(bundle.status).toBe(200);
    expect(bundle.body.tickets.map((t: { ticket: { id: string } }) => t.ticket.id).sort()).toEqual([...annasTickets].sort());
    const text = JSON.stringify(bundle.body);
    for (const value of [anna.email, anna.name, secretText, 'Refund for order 1234']) expect(text).toContain(value);
    expect(text).not.toContain('bob@example.de');
    annasAccess = filed.id;
  });
  let annasAccess = '';

  it('warns 7 days before the due time and escalates at it while a request stays open', async () => {
    bus.setRuleEnabled('DsarFulfilment', false); // as DisableRule: nothing fulfils this one
    const filed = await file({ type: 'export', law: 'ccpa', subject: { requesterId: annasTickets[0] } });
    await eventually(
      async () => scheduler.pending().filter((s) => s.name.startsWith(`dsar-${filed.id}`)).length,
      (n) => n === 2,
    );
    expect(
      scheduler
        .pending()
        .filter((s) => s.name.startsWith(`dsar-${filed.id}`))
        .map((s) => s.at)
        .sort(),
    ).toEqual([filed.warnAt, filed.dueAt]);
    now = new Date(Date.parse(filed.warnAt) + 1000);
    const warned = await eventually(
      () => dsar(filed.id),
      (r) => r.body.warnedAt !== null,
      5000,
    );
    expect(warned.body).toMatchObject({ status: 'received', escalatedAt: null });
    now = new Date(Date.parse(filed.dueAt) + 1000);
    const overdue = await eventually(
      () => dsar(filed.id),
      (r) => r.body.status === 'overdue',
      5000,
    );
    expect(overdue.body.history.map((h: { event: string }) => h.event)).toEqual(['DsarRequested', 'DsarDeadlineWarned', 'DsarEscalated']);
    expect(scheduler.pending().filter((s) => s.name.startsWith(`dsar-${filed.id}`))).toEqual([]);
    bus.setRuleEnabled('DsarFulfilment', true);
    overdueId = filed.id;
  });
  let overdueId = '';

  it('lists the requests by status for the DPO: the overdue one, page by page', async () => {
    const list = (query: string, token = dpo) => call(rt.url, 'GET', `/v1/dsar${query}`, { token });
    const overdue = await eventually(
      () => list('?status=overdue'),
      (r) => r.body.items?.length === 1,
    );
    expect(overdue.body).toMatchObject({ items: [{ id: overdueId, status: 'overdue', type: 'export', law: 'ccpa' }], nextCursor: null });
    expect((await list('?status=received')).body.items).toEqual([]);
    expect((await list('?status=fulfilled&type=access')).body.items.map((d: { id: string }) => d.id)).toEqual([annasAccess]);

    const first = await list('?limit=1');
    expect(first.body.items.map((d: { id: string }) => d.id)).toEqual([annasAccess]);
    expect(first.body.items[0].notes).toBe('Asked by phone on 24 Nov');
    const second = await list(`?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((d: { id: string }) => d.id)).toEqual([overdueId]);
    expect((await list(`?status=overdue&cursor=${first.body.nextCursor}`)).status).toBe(400);

    const late = await list('?status=late');
    expect(late.status).toBe(400);
    expect(late.body.errors).toEqual([expect.objectContaining({ path: '/status', location: 'query' })]);
    expect((await list('', agent)).status).toBe(403);
    expect((await list('', await rt.token('globex', ['dpo']))).body.items).toEqual([]);
  });

  it('rectifies: the corrected name and email reach every ticket of the subject, and the new email finds them', async () => {
    const filed = await file({
      type: 'rectification',
      law: 'gdpr',
      subject: { email: anna.email },
      corrections: { name: 'Anna Schmidt-Weber', email: 'anna.weber@example.de' },
    });
    expect(filed.corrections).toEqual({ name: 'Anna Schmidt-Weber', email: 'anna.weber@example.de' });
    const done = await fulfilled(filed.id);
    expect(done.body.result).toEqual({ type: 'rectification', tickets: 2 });
    for (const id of annasTickets) {
      const ticket = await call(rt.url, 'GET', `/v1/tickets/${id}`, { token: agent });
      expect(ticket.body.requester).toMatchObject({ name: 'Anna Schmidt-Weber', email: 'anna.weber@example.de' });
      const events = await call(rt.url, 'GET', `/v1/tickets/${id}/events`, { token: agent });
      expect(events.body.items.at(-1)).toMatchObject({
        type: 'RequesterRectified',
        data: { dsarId: filed.id, name: 'Anna Schmidt-Weber' },
      });
    }
    const byNewEmail = await eventually(
      () => call(rt.url, 'GET', `/v1/tickets?requesterEmail=${encodeURIComponent('anna.weber@example.de')}`, { token: agent }),
      (r) =>
        r.body.items?.length === 2 && r.body.items.every((t: { requester: { name: string } }) => t.requester.name === 'Anna Schmidt-Weber'),
    );
    expect(byNewEmail.body.items.map((t: { requester: { name: string } }) => t.requester.name)).toEqual([
      'Anna Schmidt-Weber',
      'Anna Schmidt-Weber',
    ]);
    expect((await call(rt.url, 'GET', `/v1/tickets/${othersTicket}`, { token: agent })).body.requester.name).toBe('Bob Brown');
  });

  it('erases by crypto-shredding: the API and bundles no longer show the subject, and the history still verifies', async () => {
    const filed = await file({ type: 'erasure', law: 'gdpr', subject: { email: anna.email } });
    annasErasure = filed.id;
    const done = await fulfilled(filed.id);
    expect(done.body.result, JSON.stringify([bus.deadLetters, rt.logs.filter((l) => l.includes('ERROR'))])).toEqual({
      type: 'erasure',
      tickets: 2,
      subjectErased: true,
    });

    for (const id of annasTickets) {
      const ticket = await call(rt.url, 'GET', `/v1/tickets/${id}`, { token: agent });
      expect(ticket.body).toMatchObject({
        subject: null,
        description: null,
        requester: { email: null, name: null },
        erasedAt: expect.any(String),
      });
      const messages = await call(rt.url, 'GET', `/v1/tickets/${id}/messages`, { token: agent });
      for (const message of messages.body.items) expect(message.body).toBeNull();
      const refused = await call(rt.url, 'POST', `/v1/tickets/${id}/messages`, { token: agent, body: { body: 'Hello?', from: 'agent' } });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('ticket_erased');
    }
    expect((await call(rt.url, 'GET', `/v1/dsar/${annasAccess}/export`, { token: dpo })).status).toBe(410);
    expect((await call(rt.url, 'GET', `/v1/tickets/${othersTicket}`, { token: agent })).body.requester.name).toBe('Bob Brown');
    expect(
      (await call(rt.url, 'GET', `/v1/tickets?requesterEmail=${encodeURIComponent(anna.email)}`, { token: agent })).body.items,
    ).toEqual([]);
    const queue = await eventually(
      () => call(rt.url, 'GET', '/v1/tickets', { token: agent }),
      (r) => r.body.items.filter((t: { erasedAt: string | null }) => t.erasedAt).length === 2,
    );
    expect(JSON.stringify(queue.body)).not.toContain(anna.name);

    expect(
      (await call(rt.url, 'GET', `/v1/tickets?requesterEmail=${encodeURIComponent('anna.weber@example.de')}`, { token: agent })).body.items,
    ).toEqual([]);
    const raw = await scanAll();
    for (const value of [anna.email, anna.name, 'anna.weber@example.de', 'Schmidt-Weber', secretText, 'Refund for order 1234'])
      expect(raw).not.toContain(value);

    const verified = await auditVerify(rt, deps);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toContain(`verified ${verified.events} events`);
  }, 30_000);

  it("gives the DPO the erasure's receipt: proofs under a signed digest, no personal data, checked offline", async () => {
    const receiptOf = (id: string, token = dpo) => call(rt.url, 'GET', `/v1/dsar/${id}/receipt`, { token });
    await sequenced(deps);
    const notYet = await receiptOf(annasErasure);
    expect(notYet.status, JSON.stringify(notYet.body)).toBe(409);
    expect(notYet.body).toMatchObject({ code: 'not-yet-covered' });
    expect((await auditCli(rt, deps, 'receipt', '--dsar', annasErasure)).stderr).toContain('not yet covered by a digest');

    now = new Date(now.getTime() + 60_000);
    expect(await writeTestDigest(rt, deps)).not.toBeNull();
    const reply = await receiptOf(annasErasure);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const receipt = reply.body;
    expect(receipt).toMatchObject({
      receipt: 'meridian-erasure-receipt',
      region: 'eu-central-1',
      tenantId: 'acme',
      dsarId: annasErasure,
      erasure: { tickets: 2, subjectErased: true, late: false },
    });
    expect(receipt.events.map((p: EventProof) => p.event.type)).toEqual(['DsarFulfilled', 'SubjectErased', 'TicketErased', 'TicketErased']);
    expect(
      receipt.events
        .slice(2)
        .map((p: EventProof) => p.event.streamId)
        .sort(),
    ).toEqual(annasTickets.map((id) => `ticket#${id}`).sort());
    // One digest and one path from the tenant's head for all the events: a digest names every tenant's head.
    expect(receipt.events.every((event: object) => Object.keys(event).sort().join() === 'entry,event,tenantTree')).toBe(true);
    const text = JSON.stringify(receipt);
    for (const value of [
      anna.email,
      anna.name,
      'anna.weber@example.de',
      'Schmidt-Weber',
      secretText,
      'Refund for order 1234',
      'Address change',
    ])
      expect(text).not.toContain(value);

    // The same receipt from the command line, and check-proof holds it offline.
    const printed = await auditCli(rt, deps, 'receipt', '--dsar', annasErasure);
    expect(printed.code, printed.stderr).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(receipt);
    const keyFile = join(rt.dataDir, 'receipt-key.pem');
    await writeFile(keyFile, (await auditCli(rt, deps, 'public-key')).stdout);
    const check = async (value: unknown) => {
      const file = join(rt.dataDir, `receipt-${Math.random()}.json`);
      await writeFile(file, JSON.stringify(value));
      return auditCli(rt, deps, 'check-proof', file, '--public-key', keyFile);
    };
    const valid = await check(receipt);
    expect(valid.code, valid.stdout).toBe(0);
    expect(valid.stdout).toMatch(
      new RegExp(
        `^valid: erasure request ${annasErasure} of tenant acme fulfilled at \\S+: 2 tickets erased and the subject, 4 events proven`,
      ),
    );
    expect(checkErasureReceipt(receipt, await readFile(keyFile, 'utf8'))).toEqual([]);

    const invalid = async (value: unknown, failure: string) => {
      const { code, stdout } = await check(value);
      expect(code, stdout).toBe(1);
      expect(stdout).toContain(failure);
    };
    await invalid(
      { ...receipt, events: receipt.events.slice(0, 3) },
      'the request erased 2 tickets, and the receipt proves 1 tickets erased',
    );
    await invalid(
      { ...receipt, erasure: { ...receipt.erasure, late: true } },
      'the erasure the receipt states is not the one its DsarFulfilled',
    );
    await invalid({ ...receipt, dsarId: annasAccess }, `does not prove that erasure request ${annasAccess} was fulfilled`);
    await invalid({ ...receipt, events: [receipt.events[0], ...receipt.events.slice(2)] }, "does not prove the subject's erasure");
    const ticketErased = receipt.events[2];
    await invalid(
      {
        ...receipt,
        events: [...receipt.events.slice(0, 3), { ...ticketErased, event: { ...ticketErased.event, data: { reason: 'retention' } } }],
      },
      `TicketErased of ${ticketErased.event.streamId}: the event's stored record does not give its hash`,
    );
    // An event of the subject's ticket that is not an erasure, proven for real, has no place in a receipt.
    const opened = (await scanItems(deps, deps.config.eventsTable)).find(
      (i) => i.streamId!.S === `ticket#${annasTickets[0]}` && i.version!.N === '1',
    )!;
    const proof = JSON.parse((await auditCli(rt, deps, 'prove', '--event', opened.eventId!.S!)).stdout);
    await invalid({ ...receipt, events: [...receipt.events, proof] }, 'TicketOpened of');
    await invalid({ ...receipt, events: [...receipt.events, proof] }, 'not an erasure event');

    // Only an erasure has a receipt; only the tenant's DPO gets one.
    expect((await receiptOf(annasAccess)).status).toBe(404);
    expect((await receiptOf(annasErasure, agent)).status).toBe(403);
    expect((await receiptOf(annasErasure, await rt.token('globex', ['dpo']))).status).toBe(404);
    expect((await auditCli(rt, deps, 'receipt', '--dsar', annasAccess)).stderr).toContain('only an erasure request has a receipt');
    expect((await auditCli(rt, deps, 'receipt', '--dsar', 'nope')).code).toBe(2);
  });
});
