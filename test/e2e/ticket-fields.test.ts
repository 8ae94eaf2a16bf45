import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, newTicket, scanAllTables, settledTables, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('custom ticket fields, over HTTP', () => {
  let rt: TestRuntime;
  let supervisor: string;
  let agent: string;
  let auditor: string;
  let dpo: string;
  const orderNumber = 'ORD-7731-KESTREL';
  const put = (key: string, body: unknown) => call(rt.url, 'PUT', `/v1/ticket-fields/${key}`, { token: supervisor, body });
  const open = (fields: Record<string, unknown>, requester = 'anna.schmidt@example.de') =>
    call(rt.url, 'POST', '/v1/tickets', {
      token: agent,
      body: newTicket({ fields, requester: { email: requester, name: 'Anna Schmidt', country: 'DE' } }),
    });

  beforeAll(async () => {
    rt = await startTestRuntime();
    supervisor = await rt.token('acme', ['supervisor'], 'sup-1');
    agent = await rt.token('acme', ['agent'], 'agent-7');
    auditor = await rt.token('acme', ['auditor'], 'aud-1');
    dpo = await rt.token('acme', ['dpo'], 'dpo-1');
    expect((await put('plan', { title: 'Plan', type: 'dropdown', options: ['pro', 'basic'] })).status).toBe(201);
    expect((await put('addons', { type: 'multiselect', options: ['sso', 'audit', 'sandbox'] })).status).toBe(201);
    expect((await put('seats', { type: 'number' })).status).toBe(201);
    expect((await put('vip', { type: 'checkbox' })).status).toBe(201);
    expect((await put('order_number', { title: 'Order number', type: 'text', required: true, personalData: true })).status).toBe(201);
  });
  afterAll(() => rt.stop());

  it('defines fields: put, read, list, replace, delete; only a supervisor changes them; other tenants see none', async () => {
    const plan = await call(rt.url, 'GET', '/v1/ticket-fields/plan', { token: agent });
    expect(plan.body).toEqual({
      key: 'plan',
      title: 'Plan',
      type: 'dropdown',
      options: ['pro', 'basic'],
      required: false,
      personalData: false,
    });
    const list = await call(rt.url, 'GET', '/v1/ticket-fields', { token: agent });
    expect(list.body.items.map((f: { key: string }) => f.key).sort()).toEqual(['addons', 'order_number', 'plan', 'seats', 'vip']);
    expect((await put('plan', { title: 'Plan', type: 'dropdown', options: ['pro', 'basic'] })).status).toBe(200);
    expect((await call(rt.url, 'PUT', '/v1/ticket-fields/colour', { token: agent, body: { type: 'text' } })).status).toBe(403);

    const noOptions = await put('tier', { type: 'dropdown' });
    expect(noOptions.status).toBe(400);
    expect(noOptions.body.errors[0]).toMatchObject({ path: '/options' });
    const personalNumber = await put('tier', { type: 'number', personalData: true });
    expect(personalNumber.status).toBe(400);
    expect(personalNumber.body.errors[0]).toMatchObject({ path: '/personalData' });
    expect((await call(rt.url, 'PUT', '/v1/ticket-fields/Bad-Key', { token: supervisor, body: { type: 'text' } })).status).toBe(400);

    const stranger = await rt.token('globex', ['supervisor', 'agent']);
    expect((await call(rt.url, 'GET', '/v1/ticket-fields/plan', { token: stranger })).status).toBe(404);
    expect((await call(rt.url, 'DELETE', '/v1/ticket-fields/plan', { token: stranger })).status).toBe(404);
    expect((await call(rt.url, 'GET', '/v1/ticket-fields', { token: stranger })).body.items).toEqual([]);
  });

  it('validates values on create and PATCH, naming each field, and writes nothing for a refusal', async () => {
    const before = await settledTables(rt.endpoints[0]!.deps);
    const wrong = await open({ plan: 'gold', seats: 'ten', vip: 'yes', colour: 'red' });
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('content-type')).toBe('application/problem+json');
    expect(wrong.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['/fields/colour', '/fields/order_number', '/fields/plan', '/fields/seats', '/fields/vip'].sort(),
    );
    expect(await settledTables(rt.endpoints[0]!.deps)).toEqual(before);

    const created = await open({ plan: 'pro', addons: ['sso', 'audit'], seats: 25, order_number: orderNumber });
    expect(created.status).toBe(201);
    expect(created.body.fields).toEqual({ plan: 'pro', addons: ['sso', 'audit'], seats: 25, order_number: orderNumber });
    const id = created.body.id;

    const patched = await call(rt.url, 'PATCH', `/v1/tickets/${id}`, { token: agent, body: { fields: { seats: null, vip: true } } });
    expect(patched.status).toBe(200);
    expect(patched.body.fields).toEqual({ plan: 'pro', addons: ['sso', 'audit'], vip: true, order_number: orderNumber });
    const clearRequired = await call(rt.url, 'PATCH', `/v1/tickets/${id}`, { token: agent, body: { fields: { order_number: null } } });
    expect(clearRequired.status).toBe(400);
    expect(clearRequired.body.errors).toEqual([
      { path: '/fields/order_number', location: 'body', message: 'required: it cannot be cleared' },
    ]);
  });

  it('seals personal field values: no plaintext in the engine, sealed for an auditor, open for an agent', async () => {
    const created = await open({ plan: 'basic', order_number: orderNumber });
    const id = created.body.id;
    const deps = rt.endpoints[0]!.deps;
    const raw = await settledTables(deps);
    expect(raw).not.toContain(orderNumber);
    expect(raw).toContain('basic');
    const asAuditor = await call(rt.url, 'GET', `/v1/tickets/${id}`, { token: auditor });
    expect(asAuditor.body.fields.order_number).toMatch(/^pii:1:/);
    expect(asAuditor.body.fields.plan).toBe('basic');
    const events = await call(rt.url, 'GET', `/v1/tickets/${id}/events`, { token: agent });
    expect(events.body.items.find((e: { type: string }) => e.type === 'FieldsSet').data).toEqual({
      values: { plan: 'basic' },
      personal: { order_number: orderNumber },
    });
    const listed = await eventually(
      () => call(rt.url, 'GET', '/v1/tickets?field.plan=basic', { token: agent }),
      (reply) => reply.body.items?.some((t: { id: string }) => t.id === id),
    );
    expect(listed.body.items.find((t: { id: string }) => t.id === id).fields.order_number).toBe(orderNumber);
  });

  it('filters the queue by fields, and refuses filters the fields cannot answer', async () => {
    const pro = (await open({ plan: 'pro', addons: ['sandbox'], vip: true, seats: 7, order_number: 'P-1' })).body.id;
    const basic = (await open({ plan: 'basic', addons: ['sso'], vip: false, order_number: 'B-1' })).body.id;
    const ids = async (query: string) => {
      const reply = await call(rt.url, 'GET', `/v1/tickets?${query}`, { token: agent });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body.items.map((t: { id: string }) => t.id) as string[];
    };
    await eventually(
      () => ids('field.vip=false'),
      (found) => found.includes(basic),
    );
    expect(await ids('field.plan=pro&field.vip=true&field.addons=sandbox&field.seats=7')).toEqual([pro]);
    expect(await ids('field.addons=sso&status=new')).toContain(basic);
    expect(await ids('field.addons=sso')).not.toContain(pro);

    for (const [query, path] of [
      ['field.colour=red', '/field.colour'],
      ['field.plan=gold', '/field.plan'],
      ['field.seats=many', '/field.seats'],
      ['field.order_number=P-1', '/field.order_number'],
      ['plan=pro', '/plan'],
    ]) {
      const reply = await call(rt.url, 'GET', `/v1/tickets?${query}`, { token: agent });
      expect(reply.status, query).toBe(400);
      expect(reply.body.errors[0].path, query).toBe(path);
    }
  });

  it('routes by a field and groups metrics by a dropdown field', async () => {
    expect((await call(rt.url, 'PUT', '/v1/teams/enterprise', { token: supervisor, body: { name: 'Enterprise' } })).status).toBe(201);
    const rule = await call(rt.url, 'PUT', '/v1/routing-rules/pro-plan', {
      token: supervisor,
      body: { rank: 1, match: { fields: { plan: ['pro'] } }, team: 'enterprise' },
    });
    expect(rule.status).toBe(201);
    const routed = await open({ plan: 'pro', order_number: 'R-1' });
    expect(routed.body.team).toBe('enterprise');
    expect((await open({ plan: 'basic', order_number: 'R-2' })).body.team).toBeNull();

    const today = new Date().toISOString().slice(0, 10);
    const metrics = await eventually(
      () => call(rt.url, 'GET', `/v1/metrics?from=${today}&to=${today}&groupBy=field.plan`, { token: supervisor }),
      (reply) =>
        reply.body.groups?.some((g: { key: Record<string, string>; tickets: number }) => g.key['field.plan'] === 'pro' && g.tickets >= 3),
    );
    expect(metrics.status).toBe(200);
    expect(metrics.body.groups.map((g: { key: Record<string, string> }) => g.key['field.plan']).sort()).toEqual(['basic', 'pro']);
    const notDropdown = await call(rt.url, 'GET', `/v1/metrics?from=${today}&to=${today}&groupBy=field.seats`, { token: supervisor });
    expect(notDropdown.status).toBe(400);
  });

  it('keeps the values of a deleted field in history, and refuses new ones', async () => {
    expect((await put('legacy', { type: 'text' })).status).toBe(201);
    const id = (await open({ legacy: 'kept', order_number: 'L-1' })).body.id;
    expect((await call(rt.url, 'DELETE', '/v1/ticket-fields/legacy', { token: supervisor })).status).toBe(204);
    expect((await call(rt.url, 'GET', '/v1/ticket-fields/legacy', { token: agent })).status).toBe(404);
    expect((await call(rt.url, 'GET', `/v1/tickets/${id}`, { token: agent })).body.fields.legacy).toBe('kept');
    const refused = await call(rt.url, 'PATCH', `/v1/tickets/${id}`, { token: agent, body: { fields: { legacy: 'new' } } });
    expect(refused.status).toBe(400);
    expect((await call(rt.url, 'DELETE', '/v1/ticket-fields/legacy', { token: supervisor })).status).toBe(404);
  });

  it('erasure leaves no personal field value', async () => {
    const email = 'erase.me@example.de';
    const id = (await open({ plan: 'pro', order_number: 'ERASE-ME-991' }, email)).body.id;
    const filed = await call(rt.url, 'POST', '/v1/dsar', { token: dpo, body: { type: 'erasure', law: 'gdpr', subject: { email } } });
    expect(filed.status, JSON.stringify(filed.body)).toBe(202);
    await eventually(
      () => call(rt.url, 'GET', `/v1/dsar/${filed.body.id}`, { token: dpo }),
      (reply) => reply.body.status === 'fulfilled',
      10_000,
    );
    const read = await call(rt.url, 'GET', `/v1/tickets/${id}`, { token: agent });
    expect(read.body.erasedAt).not.toBeNull();
    expect(read.body.fields).toEqual({ plan: 'pro' });
    const listed = await eventually(
      () => call(rt.url, 'GET', '/v1/tickets?field.plan=pro', { token: agent }),
      (reply) => reply.body.items?.some((t: { id: string; erasedAt: string | null }) => t.id === id && t.erasedAt !== null),
    );
    expect(listed.body.items.find((t: { id: string }) => t.id === id).fields).toEqual({ plan: 'pro' });
    expect(await scanAllTables(rt.endpoints[0]!.deps)).not.toContain('ERASE-ME-991');
  });
});
