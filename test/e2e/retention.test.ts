import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { SubjectKeyMissing } from '../../functions/shared/ports/subject-keys.ts';
import type { LocalScheduler } from '../../infra/local/local-scheduler.ts';
import {
  auditVerify,
  call,
  eventually,
  newTicket,
  scanAllTables,
  settledTables,
  startTestRuntime,
  type TestRuntime,
} from '../support/runtime.ts';

const t0 = Date.parse('2026-11-25T09:00:00.000Z');
const day = 24 * 60 * 60 * 1000;
/** A clock the test moves by days, to reach the retention job's runs. */
let now = new Date(t0);

describe('retention policy on the local runtime', () => {
  let rt: TestRuntime;
  let deps: Deps;
  let scheduler: LocalScheduler;
  let agent: string;
  let dpo: string;
  const secretText = 'My card ends in 4242';
  const tickets = { closedFirst: '', closedLater: '', open: '', otherTenant: '' };

  const policy = (body: unknown, headers: Record<string, string> = {}, token = dpo) =>
    call(rt.url, 'PUT', '/v1/retention-policy', { token, body, headers });
  const dryRun = (query = '') => call(rt.url, 'GET', `/v1/retention-policy/dry-run${query}`, { token: dpo });
  const ticket = async (id: string, token: string | Promise<string> = agent) =>
    call(rt.url, 'GET', `/v1/tickets/${id}`, { token: await token });
  const close = async (id: string, token = agent) => {
    expect((await call(rt.url, 'PATCH', `/v1/tickets/${id}`, { token, body: { assignee: 'agent-1', status: 'solved' } })).status).toBe(200);
    expect((await call(rt.url, 'PATCH', `/v1/tickets/${id}`, { token, body: { status: 'closed' } })).status).toBe(200);
  };
  const open = async (subject: string, token = agent) => {
    const created = await call(rt.url, 'POST', '/v1/tickets', { token, body: newTicket({ subject }) });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  /** Moves the clock and waits for the daily job to have run at the new time. */
  const runJobAt = async (at: number) => {
    now = new Date(at);
    const next = await eventually(
      async () => scheduler.pending().find((s) => s.name === 'retention')!.at,
      (when) => Date.parse(when) > at,
      10_000,
    );
    expect(Date.parse(next)).toBeGreaterThan(at);
  };
  const erasedAt = async (id: string, token = agent) => (await ticket(id, token)).body.erasedAt;

  beforeAll(async () => {
    rt = await startTestRuntime({ clock: () => now });
    deps = rt.endpoints[0]!.deps;
    scheduler = rt.endpoints[0]!.scheduler;
    agent = await rt.token('acme', ['agent'], 'agent-1');
    dpo = await rt.token('acme', ['dpo'], 'dpo-1');
    tickets.closedFirst = await open('Card charged twice');
    await call(rt.url, 'POST', `/v1/tickets/${tickets.closedFirst}/messages`, {
      token: agent,
      body: { body: secretText, from: 'requester' },
    });
    tickets.closedLater = await open('Wrong size delivered');
    tickets.open = await open('Where is my order?');
    const globexAgent = await rt.token('globex', ['agent'], 'agent-1');
    tickets.otherTenant = await open('Globex ticket', globexAgent);
    await close(tickets.closedFirst);
    await close(tickets.otherTenant, globexAgent);
  }, 60_000);
  afterAll(() => rt?.stop());

  it('starts with no policy, and refuses bad policies with a problem, writing nothing', async () => {
    const none = await call(rt.url, 'GET', '/v1/retention-policy', { token: dpo });
    expect(none.body).toEqual({ tenantId: 'acme', eraseClosedTicketsAfterDays: null, updatedAt: null, updatedBy: null, version: 0 });
    const before = await settledTables(deps);
    for (const body of [
      { eraseClosedTicketsAfterDays: 0 },
      { eraseClosedTicketsAfterDays: 1.5 },
      { eraseClosedTicketsAfterDays: '30' },
      {},
      { eraseClosedTicketsAfterDays: 30, extra: true },
    ]) {
      const refused = await policy(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await policy({ eraseClosedTicketsAfterDays: 30 }, {}, agent)).status).toBe(403);
    expect((await call(rt.url, 'GET', '/v1/retention-policy', { token: agent })).status).toBe(403);
    expect((await dryRun('?eraseClosedTicketsAfterDays=0')).status).toBe(400);
    expect(await scanAllTables(deps)).toBe(before);
  });

  it('sets the policy as an audited event; the same policy again records nothing; If-Match guards it', async () => {
    const set = await policy({ eraseClosedTicketsAfterDays: 30 });
    expect(set.status).toBe(200);
    expect(set.headers.get('etag')).toBe('"1"');
    expect(set.body).toEqual({
      tenantId: 'acme',
      eraseClosedTicketsAfterDays: 30,
      updatedAt: now.toISOString(),
      updatedBy: 'dpo-1',
      version: 1,
    });
    expect((await policy({ eraseClosedTicketsAfterDays: 30 })).body.version).toBe(1);
    const stale = await policy({ eraseClosedTicketsAfterDays: 7 }, { 'if-match': '"0"' });
    expect(stale.status).toBe(412);
    const auditor = await rt.token('acme', ['auditor']);
    expect((await call(rt.url, 'GET', '/v1/retention-policy', { token: auditor })).body.eraseClosedTicketsAfterDays).toBe(30);
  });

  it('lists in a dry run what a period would erase, and the daily job erases nothing before it is due', async () => {
    await runJobAt(t0 + 20 * day);
    expect(await erasedAt(tickets.closedFirst)).toBeNull();
    await close(tickets.closedLater);
    expect((await dryRun()).body).toMatchObject({ eraseClosedTicketsAfterDays: 30, items: [] });
    const proposed = await eventually(
      () => dryRun('?eraseClosedTicketsAfterDays=10'),
      (r) => r.body.items?.length === 1,
    );
    expect(proposed.body).toEqual({
      asOf: new Date(t0 + 20 * day).toISOString(),
      eraseClosedTicketsAfterDays: 10,
      closedBy: new Date(t0 + 10 * day).toISOString(),
      items: [{ ticketId: tickets.closedFirst, createdAt: expect.any(String), closedAt: new Date(t0).toISOString() }],
      nextCursor: null,
    });
  });

  it('crypto-shreds each ticket closed for longer than the policy, with TicketErased as evidence, and nothing else', async () => {
    await runJobAt(t0 + 31 * day);
    const erased = await ticket(tickets.closedFirst);
    expect(erased.body).toMatchObject({ subject: null, description: null, erasedAt: new Date(t0 + 31 * day).toISOString() });
    const messages = await call(rt.url, 'GET', `/v1/tickets/${tickets.closedFirst}/messages`, { token: agent });
    expect(messages.body.items.map((m: { body: string | null }) => m.body)).toEqual([null]);
    const events = await call(rt.url, 'GET', `/v1/tickets/${tickets.closedFirst}/events`, { token: agent });
    expect(events.body.items.at(-1)).toMatchObject({
      type: 'TicketErased',
      actor: { type: 'system', id: 'retention' },
      data: { reason: 'retention', retentionDays: 30, dsarId: null },
    });
    await expect(deps.subjectKeys.dataKey({ tenantId: 'acme', subjectId: tickets.closedFirst })).rejects.toBeInstanceOf(SubjectKeyMissing);
    expect(await scanAllTables(deps)).not.toContain(secretText);

    expect((await ticket(tickets.closedLater)).body).toMatchObject({ subject: 'Wrong size delivered', erasedAt: null });
    expect((await ticket(tickets.open)).body).toMatchObject({ subject: 'Where is my order?', erasedAt: null });
    const globex = await ticket(tickets.otherTenant, await rt.token('globex', ['agent']));
    expect(globex.body).toMatchObject({ subject: 'Globex ticket', erasedAt: null });
    expect(
      (
        await eventually(
          () => dryRun(),
          (r) => r.body.items?.length === 0,
        )
      ).body.items,
    ).toEqual([]);

    const verified = await auditVerify(rt, deps);
    expect(verified.code, verified.stdout).toBe(0);
  }, 30_000);

  it('erases nothing once the policy is switched off', async () => {
    expect((await policy({ eraseClosedTicketsAfterDays: null })).body).toMatchObject({ eraseClosedTicketsAfterDays: null, version: 2 });
    await runJobAt(t0 + 90 * day);
    expect(await erasedAt(tickets.closedLater)).toBeNull();
    expect((await dryRun()).body).toMatchObject({ eraseClosedTicketsAfterDays: null, items: [] });
  });

  it('previews and accepts the longest period, whose cut-off falls before 1970, without a 500', async () => {
    const preview = await dryRun('?eraseClosedTicketsAfterDays=36500');
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({
      eraseClosedTicketsAfterDays: 36500,
      closedBy: new Date(now.getTime() - 36_500 * day).toISOString(),
      items: [],
      nextCursor: null,
    });
    const metrics = await call(rt.url, 'GET', '/v1/metrics?from=1900-01-01&to=1900-12-31', {
      token: await rt.token('acme', ['supervisor']),
    });
    expect(metrics.status, JSON.stringify(metrics.body)).toBe(200);
    expect(metrics.body.total.tickets).toBe(0);
  });

  it('isolates a failing tenant: the others are still erased, the failure is logged and counted, the next run retries it', async () => {
    const tenants = ['globex', 'initech', 'hooli'];
    const closedTickets = new Map<string, string>();
    for (const tenant of tenants) {
      const tenantAgent = await rt.token(tenant, ['agent'], 'agent-1');
      const id = await open(`${tenant} closed ticket`, tenantAgent);
      await close(id, tenantAgent);
      closedTickets.set(tenant, id);
    }
    // The longest period (a cut-off before 1970) stopped every tenant's run before it was fixed.
    expect((await policy({ eraseClosedTicketsAfterDays: 36500 }, {}, await rt.token('acme', ['dpo']))).status).toBe(200);
    for (const tenant of tenants)
      expect((await policy({ eraseClosedTicketsAfterDays: 1 }, {}, await rt.token(tenant, ['dpo']))).status).toBe(200);
    await eventually(
      async () => {
        const inForce = [];
        for await (const p of deps.retentionPolicies.inForce()) inForce.push(p.tenantId);
        return inForce;
      },
      (inForce) => inForce.length === 4,
    );

    // The first tenant the run reaches fails; the run must go on to every other one.
    const views = deps.ticketViews;
    const realClosedBy = views.closedBy.bind(views);
    const reached: string[] = [];
    views.closedBy = async (query) => {
      if (!reached.includes(query.tenantId)) reached.push(query.tenantId);
      if (query.tenantId === reached[0]) throw new Error('injected: the views table refused this tenant');
      return realClosedBy(query);
    };
    const failures = vi.spyOn(deps.metrics, 'addMetric');
    const logsBefore = rt.logs.length;
    try {
      await runJobAt(t0 + 95 * day);
      await eventually(
        async () => reached.length,
        (count) => count === 4,
      );
      const failing = reached[0]!;
      for (const tenant of tenants.filter((t) => t !== failing)) {
        const erased = await eventually(
          () => ticket(closedTickets.get(tenant)!, rt.token(tenant, ['agent'])),
          (r) => r.body.erasedAt !== null,
        );
        expect(erased.body.erasedAt, tenant).toBe(new Date(t0 + 95 * day).toISOString());
      }
      if (failing !== 'acme') expect(await erasedAt(closedTickets.get(failing)!, await rt.token(failing, ['agent']))).toBeNull();
      expect(failures).toHaveBeenCalledWith('RetentionTenantFailures', 'Count', 1);
      const logged = rt.logs.slice(logsBefore).filter((line) => line.includes('retention failed for a tenant'));
      expect(logged).toHaveLength(1);
      expect(JSON.parse(logged[0]!)).toMatchObject({
        level: 'ERROR',
        tenantId: failing,
        error: { name: 'Error', message: 'injected: the views table refused this tenant' },
      });
    } finally {
      views.closedBy = realClosedBy;
      failures.mockRestore();
    }
    await runJobAt(t0 + 96 * day);
    for (const tenant of tenants) {
      await eventually(
        () => ticket(closedTickets.get(tenant)!, rt.token(tenant, ['agent'])),
        (r) => r.body.erasedAt !== null,
      );
    }
  }, 60_000);
});
