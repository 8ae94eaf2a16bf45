import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/access.ts';
import { apiRoutes } from '../../functions/api/routes.ts';
import {
  call,
  eventually,
  newTicket,
  scanItems,
  sequenced,
  startTestRuntime,
  type TestRuntime,
  writeTestDigest,
} from '../support/runtime.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

/**
 * The authorisation matrix, written out here on its own (not read from domain/access.ts): every
 * authenticated route, which roles may call it, and what another tenant gets. Each cell is
 * asserted over HTTP: an allowed role succeeds (2xx), any other gets 403, and an allowed role of
 * another tenant gets 404 for this tenant's resources, or only its own data.
 */
const integrators: Role[] = ['integrator', 'supervisor'];
const everyone: Role[] = ['agent', 'supervisor', 'dpo', 'auditor', 'integrator'];
const writers: Role[] = ['agent', 'supervisor', 'integrator'];

type Fixture = {
  ticket: string;
  /** Merged into the ticket (again, each time: a merge done is done). */
  mergeSource: string;
  /** Linked to the ticket. */
  linked: string;
  dsar: string;
  erasure: string;
  requester: string;
  event: string;
  webhook: string;
  delivery: number;
  doomedWebhook: string;
  receiver: string;
  /** A file on a message of the ticket. */
  attachment: string;
  /** A simulation job of the tenant. */
  simulation: string;
};
interface Cell {
  allowed: Role[];
  /** What an allowed role of another tenant gets: 404, or an answer about its own tenant only. */
  otherTenant: 'notFound' | 'ownOnly';
  request: (f: Fixture, role: Role) => { path: string; body?: unknown; headers?: Record<string, string> };
}

const ruleBodies: Record<string, unknown> = {};
/** The four routes of a kind of rule: a supervisor changes it, anyone reads it; `kept` exists in both tenants, `doomed` is put before each delete. */
const ruleRows = (path: string, body: unknown): Record<string, Cell> => {
  ruleBodies[path] = body;
  return {
    [`GET ${path}`]: { allowed: everyone, otherTenant: 'ownOnly', request: () => ({ path }) },
    [`GET ${path}/{id}`]: { allowed: everyone, otherTenant: 'ownOnly', request: () => ({ path: `${path}/kept` }) },
    [`PUT ${path}/{id}`]: { allowed: ['supervisor'], otherTenant: 'ownOnly', request: (_, role) => ({ path: `${path}/by-${role}`, body }) },
    [`DELETE ${path}/{id}`]: { allowed: ['supervisor'], otherTenant: 'notFound', request: () => ({ path: `${path}/doomed` }) },
  };
};

const matrix: Record<string, Cell> = {
  'POST /v1/tickets': {
    allowed: writers,
    otherTenant: 'ownOnly',
    request: (_, role) => ({
      path: '/v1/tickets',
      body: newTicket({ requester: { email: `${role}-${Math.random()}@example.de`, name: 'N', country: 'DE' } }),
    }),
  },
  'GET /v1/tickets': { allowed: everyone, otherTenant: 'ownOnly', request: () => ({ path: '/v1/tickets' }) },
  'GET /v1/tickets/{id}': { allowed: everyone, otherTenant: 'notFound', request: (f) => ({ path: `/v1/tickets/${f.ticket}` }) },
  'PATCH /v1/tickets/{id}': {
    allowed: writers,
    otherTenant: 'notFound',
    request: (f, role) => ({ path: `/v1/tickets/${f.ticket}`, body: { tags: [role] } }),
  },
  'POST /v1/tickets/{id}/messages': {
    allowed: writers,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/tickets/${f.ticket}/messages`, body: { body: 'Internal note', from: 'agent', public: false } }),
  },
  'GET /v1/tickets/{id}/messages': {
    allowed: everyone,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/tickets/${f.ticket}/messages` }),
  },
  'GET /v1/tickets/{id}/events': {
    allowed: everyone,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/tickets/${f.ticket}/events` }),
  },
  'POST /v1/tickets/{id}/merge': {
    allowed: writers,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/tickets/${f.ticket}/merge`, body: { sourceIds: [f.mergeSource] } }),
  },
  'POST /v1/tickets/{id}/links': {
    allowed: writers,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/tickets/${f.ticket}/links`, body: { ticketId: f.linked, kind: 'related' } }),
  },
  'DELETE /v1/tickets/{id}/links/{linkedId}': {
    allowed: writers,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/tickets/${f.ticket}/links/${f.linked}` }),
  },
  'GET /v1/search': { allowed: everyone, otherTenant: 'ownOnly', request: () => ({ path: '/v1/search?q=parcel' }) },
  'POST /v1/uploads': {
    allowed: writers,
    otherTenant: 'ownOnly',
    request: () => ({ path: '/v1/uploads', body: { filename: 'scan.pdf', contentType: 'application/pdf', size: 1000 } }),
  },
  'GET /v1/attachments/{id}': {
    allowed: ['agent', 'supervisor', 'integrator', 'dpo'],
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/attachments/${f.attachment}` }),
  },
  'GET /v1/ticket-fields': { allowed: everyone, otherTenant: 'ownOnly', request: () => ({ path: '/v1/ticket-fields' }) },
  'GET /v1/ticket-fields/{key}': { allowed: everyone, otherTenant: 'notFound', request: () => ({ path: '/v1/ticket-fields/plan' }) },
  'PUT /v1/ticket-fields/{key}': {
    allowed: ['supervisor'],
    otherTenant: 'ownOnly',
    request: (_, role) => ({ path: `/v1/ticket-fields/field_${role}`, body: { type: 'text' } }),
  },
  'DELETE /v1/ticket-fields/{key}': {
    allowed: ['supervisor'],
    otherTenant: 'notFound',
    request: () => ({ path: '/v1/ticket-fields/doomed' }),
  },
  ...ruleRows('/v1/triggers', {
    conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }] },
    actions: [{ field: 'priority', value: 'high' }],
  }),
  ...ruleRows('/v1/automations', {
    conditions: {
      all: [
        { field: 'hours_since_created', operator: 'greater_than', value: 48 },
        { field: 'tags', operator: 'not_includes', value: 'stale' },
      ],
    },
    actions: [{ field: 'add_tags', value: 'stale' }],
  }),
  ...ruleRows('/v1/macros', { actions: [{ field: 'add_tags', value: 'macro' }] }),
  'POST /v1/tickets/{id}/macros/{macroId}': {
    allowed: writers,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/tickets/${f.ticket}/macros/kept`, headers: { 'if-match': '*' } }),
  },
  'POST /v1/tickets/{id}/macros/{macroId}/preview': {
    allowed: writers,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/tickets/${f.ticket}/macros/kept/preview` }),
  },
  'POST /v1/simulations': {
    allowed: ['supervisor'],
    otherTenant: 'ownOnly',
    request: () => ({ path: '/v1/simulations', body: { from: '2026-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' } }),
  },
  'GET /v1/simulations/{id}': {
    allowed: ['supervisor'],
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/simulations/${f.simulation}` }),
  },
  'POST /v1/tickets/{id}/satisfaction': {
    allowed: writers,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/tickets/${f.ticket}/satisfaction`, body: { score: 4 } }),
  },
  'POST /v1/tickets/{id}/nps': {
    allowed: writers,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/tickets/${f.ticket}/nps`, body: { score: 9 } }),
  },
  'GET /v1/audit/tickets/{id}': {
    allowed: ['auditor', 'dpo'],
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/audit/tickets/${f.ticket}` }),
  },
  'GET /v1/audit/proofs/{eventId}': {
    allowed: ['auditor', 'dpo'],
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/audit/proofs/${f.event}` }),
  },
  'GET /v1/audit/events': { allowed: ['auditor', 'dpo'], otherTenant: 'ownOnly', request: () => ({ path: '/v1/audit/events' }) },
  'POST /v1/dsar': {
    allowed: ['dpo'],
    otherTenant: 'ownOnly',
    request: (f) => ({ path: '/v1/dsar', body: { type: 'access', law: 'gdpr', subject: { requesterId: f.requester } } }),
  },
  'GET /v1/dsar': { allowed: ['dpo'], otherTenant: 'ownOnly', request: () => ({ path: '/v1/dsar' }) },
  'GET /v1/dsar/{id}': { allowed: ['dpo'], otherTenant: 'notFound', request: (f) => ({ path: `/v1/dsar/${f.dsar}` }) },
  'GET /v1/dsar/{id}/export': { allowed: ['dpo'], otherTenant: 'notFound', request: (f) => ({ path: `/v1/dsar/${f.dsar}/export` }) },
  'GET /v1/changes': { allowed: ['integrator', 'supervisor'], otherTenant: 'ownOnly', request: () => ({ path: '/v1/changes' }) },
  'GET /v1/dsar/{id}/receipt': {
    allowed: ['dpo'],
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/dsar/${f.erasure}/receipt` }),
  },
  'GET /v1/retention-policy': { allowed: ['dpo', 'auditor'], otherTenant: 'ownOnly', request: () => ({ path: '/v1/retention-policy' }) },
  'PUT /v1/retention-policy': {
    allowed: ['dpo'],
    otherTenant: 'ownOnly',
    request: () => ({ path: '/v1/retention-policy', body: { eraseClosedTicketsAfterDays: 3650 } }),
  },
  'GET /v1/retention-policy/dry-run': {
    allowed: ['dpo', 'auditor'],
    otherTenant: 'ownOnly',
    request: () => ({ path: '/v1/retention-policy/dry-run?eraseClosedTicketsAfterDays=1' }),
  },
  'GET /v1/metrics': {
    allowed: ['supervisor', 'integrator', 'auditor'],
    otherTenant: 'ownOnly',
    request: () => ({ path: '/v1/metrics?from=2020-01-01&to=2020-12-31' }),
  },
  'GET /v1/requesters/{id}': { allowed: everyone, otherTenant: 'notFound', request: (f) => ({ path: `/v1/requesters/${f.requester}` }) },
  'POST /v1/requesters/{id}/contacts': {
    allowed: writers,
    otherTenant: 'notFound',
    request: (f, role) => ({ path: `/v1/requesters/${f.requester}/contacts`, body: { kind: 'email', value: `${role}@linked.example` } }),
  },
  'GET /v1/channels': { allowed: everyone, otherTenant: 'ownOnly', request: () => ({ path: '/v1/channels' }) },
  'GET /v1/channels/{channel}': { allowed: everyone, otherTenant: 'notFound', request: () => ({ path: '/v1/channels/telegram' }) },
  'PUT /v1/channels/{channel}': {
    allowed: ['supervisor'],
    otherTenant: 'ownOnly',
    request: () => ({ path: '/v1/channels/telegram', body: { country: 'DE', secrets: { secretToken: 'matrix_secret_token' } } }),
  },
  'POST /v1/app-reviews': {
    allowed: writers,
    otherTenant: 'ownOnly',
    request: (_, role) => ({
      path: '/v1/app-reviews',
      body: {
        store: 'app_store',
        app: 'com.acme',
        reviews: [{ id: `r-${role}-${Math.random()}`, author: 'A', rating: 4, text: 'Works well for me', country: 'DE' }],
      },
    }),
  },
  'GET /v1/calendars': { allowed: everyone, otherTenant: 'ownOnly', request: () => ({ path: '/v1/calendars' }) },
  'GET /v1/calendars/{id}': { allowed: everyone, otherTenant: 'notFound', request: () => ({ path: '/v1/calendars/office' }) },
  'PUT /v1/calendars/{id}': {
    allowed: ['supervisor'],
    otherTenant: 'ownOnly',
    request: (_, role) => ({
      path: `/v1/calendars/cal-${role}`,
      body: { timeZone: 'Europe/Berlin', hours: { mon: [['09:00', '17:00']] } },
    }),
  },
  'GET /v1/teams': { allowed: everyone, otherTenant: 'ownOnly', request: () => ({ path: '/v1/teams' }) },
  'GET /v1/teams/{id}': { allowed: everyone, otherTenant: 'notFound', request: () => ({ path: '/v1/teams/desk' }) },
  'PUT /v1/teams/{id}': {
    allowed: ['supervisor'],
    otherTenant: 'ownOnly',
    request: (_, role) => ({ path: `/v1/teams/team-${role}`, body: { name: role } }),
  },
  'GET /v1/sla-policies': { allowed: everyone, otherTenant: 'ownOnly', request: () => ({ path: '/v1/sla-policies' }) },
  'GET /v1/sla-policies/{id}': { allowed: everyone, otherTenant: 'notFound', request: () => ({ path: '/v1/sla-policies/standard' }) },
  'PUT /v1/sla-policies/{id}': {
    allowed: ['supervisor'],
    otherTenant: 'ownOnly',
    request: (_, role) => ({
      path: `/v1/sla-policies/sla-${role}`,
      body: { rank: 50, targets: { firstReply: 'P2D' }, businessHours: false },
    }),
  },
  'DELETE /v1/sla-policies/{id}': {
    allowed: ['supervisor'],
    otherTenant: 'notFound',
    request: () => ({ path: '/v1/sla-policies/doomed' }),
  },
  'GET /v1/routing-rules': { allowed: everyone, otherTenant: 'ownOnly', request: () => ({ path: '/v1/routing-rules' }) },
  'GET /v1/routing-rules/{id}': { allowed: everyone, otherTenant: 'notFound', request: () => ({ path: '/v1/routing-rules/to-desk' }) },
  'PUT /v1/routing-rules/{id}': {
    allowed: ['supervisor'],
    otherTenant: 'ownOnly',
    request: (_, role) => ({
      path: `/v1/routing-rules/rule-${role}`,
      body: { rank: 90, match: { channel: 'phone' }, team: 'shared-desk' },
    }),
  },
  'DELETE /v1/routing-rules/{id}': {
    allowed: ['supervisor'],
    otherTenant: 'notFound',
    request: () => ({ path: '/v1/routing-rules/doomed' }),
  },
  'POST /v1/webhooks': {
    allowed: integrators,
    otherTenant: 'ownOnly',
    request: (f) => ({ path: '/v1/webhooks', body: { url: f.receiver, events: ['TicketOpened'], active: false } }),
  },
  'GET /v1/webhooks': { allowed: integrators, otherTenant: 'ownOnly', request: () => ({ path: '/v1/webhooks' }) },
  'GET /v1/webhooks/{id}': { allowed: integrators, otherTenant: 'notFound', request: (f) => ({ path: `/v1/webhooks/${f.webhook}` }) },
  'PATCH /v1/webhooks/{id}': {
    allowed: integrators,
    otherTenant: 'notFound',
    request: (_, role) => ({ path: '/v1/webhooks/{webhook}', body: { description: `changed by ${role}` } }),
  },
  'DELETE /v1/webhooks/{id}': {
    allowed: integrators,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/webhooks/${f.doomedWebhook}` }),
  },
  'POST /v1/webhooks/{id}/rotate-secret': {
    allowed: integrators,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/webhooks/${f.webhook}/rotate-secret` }),
  },
  'GET /v1/webhooks/{id}/deliveries': {
    allowed: integrators,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/webhooks/${f.webhook}/deliveries` }),
  },
  'POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry': {
    allowed: integrators,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/webhooks/${f.webhook}/deliveries/${f.delivery}/retry` }),
  },
  'POST /v1/webhooks/{id}/replay': {
    allowed: integrators,
    otherTenant: 'notFound',
    request: (f) => ({ path: `/v1/webhooks/${f.webhook}/replay`, body: { fromSeq: f.delivery } }),
  },
};

describe('the authorisation matrix: roles x routes x tenants', () => {
  let rt: TestRuntime;
  const fixture: Fixture = {
    ticket: '',
    mergeSource: '',
    linked: '',
    dsar: '',
    erasure: '',
    requester: '',
    event: '',
    webhook: '',
    delivery: 0,
    doomedWebhook: '',
    receiver: '',
    attachment: '',
    simulation: '',
  };
  const receiver = new WebhookReceiver();
  const as = (tenant: string, role: Role) => rt.token(tenant, [role], `${role}-1`);
  const ruleKinds = Object.keys(ruleBodies);
  const putRule = async (token: string, path: string) => {
    const reply = await call(rt.url, 'PUT', path, { token, body: ruleBodies[path.slice(0, path.lastIndexOf('/'))] });
    expect(reply.status, `${path}: ${JSON.stringify(reply.body)}`).toBeLessThan(300);
  };

  beforeAll(async () => {
    rt = await startTestRuntime();
    await receiver.start();
    fixture.receiver = receiver.url;
    const supervisor = await as('acme', 'supervisor');
    const subscribed = await call(rt.url, 'POST', '/v1/webhooks', {
      token: supervisor,
      body: { url: receiver.url, events: ['TicketOpened'] },
    });
    fixture.webhook = subscribed.body.id;
    receiver.secrets.push(subscribed.body.signingSecret);
    const agent = await as('acme', 'agent');
    const dpo = await as('acme', 'dpo');
    const put = async (path: string, body: unknown) =>
      expect((await call(rt.url, 'PUT', path, { token: supervisor, body })).status).toBe(201);
    await put('/v1/calendars/office', { timeZone: 'Europe/Berlin', hours: { mon: [['09:00', '17:00']] } });
    await put('/v1/teams/desk', { name: 'Desk', calendarId: 'office' });
    await put('/v1/sla-policies/standard', { rank: 1, targets: { firstReply: 'P1D' }, businessHours: true });
    await put('/v1/routing-rules/to-desk', { rank: 1, match: { channel: 'web' }, team: 'desk' });
    await put('/v1/channels/telegram', { country: 'DE', secrets: { secretToken: 'matrix_secret_token' } });
    // Both tenants have a team of this name, so routing rules put by either have something to name.
    await put('/v1/teams/shared-desk', { name: 'Shared desk' });
    expect(
      (await call(rt.url, 'PUT', '/v1/teams/shared-desk', { token: await as('globex', 'supervisor'), body: { name: 'Their desk' } }))
        .status,
    ).toBe(201);
    const created = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() });
    fixture.ticket = created.body.id;
    fixture.requester = created.body.requester.subjectId;
    fixture.mergeSource = (await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() })).body.id;
    fixture.linked = (await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() })).body.id;
    const uploaded = await fetch(`${rt.url}/v1/uploads?filename=note.txt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'text/plain' },
      body: 'A note',
    }).then((reply) => reply.json() as Promise<{ token: string }>);
    const withFile = await call(rt.url, 'POST', `/v1/tickets/${fixture.ticket}/messages`, {
      token: agent,
      body: { body: 'Attached', from: 'agent', attachments: [uploaded.token] },
    });
    fixture.attachment = withFile.body.attachments[0].id;
    await put('/v1/ticket-fields/plan', { type: 'dropdown', options: ['pro', 'basic'] });
    for (const kind of ruleKinds) {
      await putRule(supervisor, `${kind}/kept`);
      await putRule(await as('globex', 'supervisor'), `${kind}/kept`);
    }
    await call(rt.url, 'PATCH', `/v1/tickets/${fixture.ticket}`, { token: agent, body: { assignee: 'agent-1', status: 'solved' } });
    const job = await call(rt.url, 'POST', '/v1/simulations', {
      token: supervisor,
      body: { from: '2026-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' },
      headers: { prefer: 'respond-async' },
    });
    expect(job.status).toBe(202);
    fixture.simulation = job.body.id;
    await eventually(
      () => call(rt.url, 'GET', `/v1/requesters/${fixture.requester}`, { token: agent }),
      (r) => r.status === 200,
    );
    const fulfilledRequest = async (body: unknown) => {
      const { id } = (await call(rt.url, 'POST', '/v1/dsar', { token: dpo, body })).body;
      await eventually(
        () => call(rt.url, 'GET', `/v1/dsar/${id}`, { token: dpo }),
        (r) => r.body.status === 'fulfilled',
        10_000,
      );
      return id as string;
    };
    fixture.dsar = await fulfilledRequest({ type: 'access', law: 'gdpr', subject: { requesterId: fixture.requester } });
    // An erasure of another requester, for its receipt.
    const erased = await call(rt.url, 'POST', '/v1/tickets', {
      token: agent,
      body: newTicket({ requester: { email: 'leaving@example.de', name: 'L', country: 'DE' } }),
    });
    await eventually(
      () => call(rt.url, 'GET', `/v1/requesters/${erased.body.requester.subjectId}`, { token: agent }),
      (r) => r.status === 200,
    );
    fixture.erasure = await fulfilledRequest({ type: 'erasure', law: 'gdpr', subject: { requesterId: erased.body.requester.subjectId } });
    // A proof or a receipt needs a signed digest that covers its events.
    const deps = rt.endpoints[0]!.deps;
    await sequenced(deps);
    const opened = (await scanItems(deps, deps.config.eventsTable)).find((i) => i.streamId!.S === `ticket#${fixture.ticket}`)!;
    fixture.event = opened.eventId!.S!;
    await writeTestDigest(rt, deps);
    const deliveries = await eventually(
      () => call(rt.url, 'GET', `/v1/webhooks/${fixture.webhook}/deliveries`, { token: supervisor }),
      (r) => r.body.items?.length > 0,
      10_000,
    );
    fixture.delivery = Number(deliveries.body.items.at(-1).id);
  }, 60_000);
  afterAll(async () => {
    await rt?.stop();
    await receiver.stop();
  });

  it('names every authenticated route once', () =>
    expect(Object.keys(matrix).sort()).toEqual(
      apiRoutes
        .filter((r) => r.auth)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ));

  const deletes = new Set(['DELETE /v1/sla-policies/{id}', 'DELETE /v1/routing-rules/{id}', 'DELETE /v1/ticket-fields/{key}']);
  describe.each(Object.entries(matrix))('%s', (route, cell) => {
    const method = route.split(' ')[0]!;
    it.each(everyone)('as %s of the tenant', async (role) => {
      if (deletes.has(route) && cell.allowed.includes(role)) {
        // Something to delete, each time.
        const supervisor = await as('acme', 'supervisor');
        if (route.includes('ticket-fields'))
          await call(rt.url, 'PUT', '/v1/ticket-fields/doomed', { token: supervisor, body: { type: 'checkbox' } });
        const body = route.includes('sla')
          ? { rank: 99, targets: { firstReply: 'P1D' }, businessHours: false }
          : { rank: 99, match: { channel: 'chat' }, team: 'desk' };
        await call(rt.url, 'PUT', route.includes('sla') ? '/v1/sla-policies/doomed' : '/v1/routing-rules/doomed', {
          token: supervisor,
          body,
        });
      }
      if (route === 'DELETE /v1/tickets/{id}/links/{linkedId}' && cell.allowed.includes(role)) {
        const linked = await call(rt.url, 'POST', `/v1/tickets/${fixture.ticket}/links`, {
          token: await as('acme', 'agent'),
          body: { ticketId: fixture.linked, kind: 'duplicate' },
        });
        expect(linked.status).toBe(200);
      }
      if (route === 'DELETE /v1/webhooks/{id}') {
        const made = await call(rt.url, 'POST', '/v1/webhooks', {
          token: await as('acme', 'integrator'),
          body: { url: fixture.receiver, events: ['TicketOpened'], active: false },
        });
        fixture.doomedWebhook = made.body.id;
      }
      const rule = ruleKinds.find((kind) => route === `DELETE ${kind}/{id}`);
      if (rule && cell.allowed.includes(role)) await putRule(await as('acme', 'supervisor'), `${rule}/doomed`);
      const { path, body, headers } = cell.request(fixture, role);
      const reply = await call(rt.url, method, path.replace('{webhook}', fixture.webhook), {
        token: await as('acme', role),
        body,
        headers,
      });
      if (cell.allowed.includes(role)) expect(reply.status, `${route} as ${role}: ${JSON.stringify(reply.body)}`).toBeLessThan(300);
      else expect(reply.status, `${route} as ${role}`).toBe(403);
    });

    it.each(cell.allowed)('as %s of another tenant', async (role) => {
      const { path, body, headers } = cell.request(fixture, role);
      const reply = await call(rt.url, method, path.replace('{webhook}', fixture.webhook), {
        token: await as('globex', role),
        body,
        headers,
      });
      if (cell.otherTenant === 'notFound') {
        expect(reply.status, `${route} as globex ${role}`).toBe(404);
        return;
      }
      expect(reply.status, `${route} as globex ${role}: ${JSON.stringify(reply.body)}`).toBeLessThan(300);
      const text = JSON.stringify(reply.body ?? '');
      for (const id of [fixture.ticket, fixture.dsar, fixture.requester, 'acme']) expect(text, `${route} leaks ${id}`).not.toContain(id);
    });
  });
});
