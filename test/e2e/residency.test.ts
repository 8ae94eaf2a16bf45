import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionEndpoint } from '../../infra/local/runtime.ts';
import { call, eventually, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** The personal data of one scenario: none of it may be found in plain form at rest or in a log. */
const pii = {
  email: 'Klara.Vogel@example.de',
  name: 'Klara Vogel',
  phone: '+4930555012345',
  subject: 'Kühlschrank defekt seit Montag',
  description: 'Meine Bestellnummer ist 88231, bitte rufen Sie mich zurück.',
  reply: 'Liebe Frau Vogel, ein Techniker kommt am Donnerstag.',
};
const germanTicket = {
  subject: pii.subject,
  description: pii.description,
  channel: 'phone',
  requester: { email: pii.email, name: pii.name, phone: pii.phone, country: 'DE', locale: 'de-DE' },
};

/** Every item of every table of a region, as text (binary attributes as base64). */
async function rawTables({ deps }: RegionEndpoint): Promise<Record<string, string[]>> {
  const { eventsTable, viewsTable, idempotencyTable, subjectsTable } = deps.config;
  const tables: Record<string, string[]> = {};
  for (const table of [eventsTable, viewsTable, idempotencyTable, subjectsTable]) {
    const { Items = [] } = await deps.dynamodb.send(new ScanCommand({ TableName: table }));
    tables[table] = Items.map((item) =>
      JSON.stringify(item, (_, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value)),
    );
  }
  return tables;
}

const plainPii = (texts: string[]) =>
  Object.values(pii).flatMap((value) => {
    const forms = [value, value.toLowerCase(), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64')];
    return texts.some((text) => forms.some((form) => text.includes(form))) ? [value] : [];
  });

describe('data residency and personal data at rest', () => {
  let rt: TestRuntime;
  let eu: RegionEndpoint;
  let us: RegionEndpoint;
  let agent: string;

  beforeAll(async () => {
    rt = await startTestRuntime({ regions: ['eu-central-1', 'us-east-1'], tenantResidency: { globex: { region: 'us-east-1' } } });
    [eu, us] = rt.endpoints as [RegionEndpoint, RegionEndpoint];
    agent = await rt.token('acme', ['agent'], 'agent-3');
  });
  afterAll(() => rt.stop());

  it('a German requester posted to us-east-1 gets 421 naming eu-central-1, and neither region stores anything', async () => {
    const wrong = await call(us.url, 'POST', '/v1/tickets', {
      token: agent,
      body: germanTicket,
      headers: { 'idempotency-key': 'klara-1' },
    });
    expect(wrong.status).toBe(421);
    expect(wrong.headers.get('content-type')).toBe('application/problem+json');
    expect(wrong.body).toMatchObject({
      type: 'urn:meridian:problem:wrong-region',
      status: 421,
      homeRegion: 'eu-central-1',
      endpoint: eu.url,
    });
    for (const region of [eu, us]) {
      const tables = await rawTables(region);
      // The one thing us-east-1 keeps is the caller's request count (rate limits): a tenant id and a hashed token, no requester data.
      const counters = tables[region.deps.config.idempotencyTable]!.filter((item) => item.includes('"rate:acme:'));
      expect(counters).toHaveLength(region === us ? 1 : 0);
      for (const value of [pii.email, pii.name, pii.phone, pii.subject]) expect(counters.join()).not.toContain(value);
      tables[region.deps.config.idempotencyTable] = tables[region.deps.config.idempotencyTable]!.filter((item) => !counters.includes(item));
      for (const items of Object.values(tables)) expect(items).toEqual([]);
    }
  });

  it('a US requester posted to eu-central-1 is sent to us-east-1', async () => {
    const wrong = await call(eu.url, 'POST', '/v1/tickets', {
      token: agent,
      body: { ...germanTicket, requester: { email: 'joe@example.com', name: 'Joe', country: 'US' } },
    });
    expect(wrong.body).toMatchObject({ status: 421, homeRegion: 'us-east-1', endpoint: us.url });
  });

  it("a tenant's policy overrides the country table", async () => {
    const globex = await rt.token('globex', ['agent']);
    expect((await call(eu.url, 'POST', '/v1/tickets', { token: globex, body: germanTicket })).body).toMatchObject({
      status: 421,
      homeRegion: 'us-east-1',
    });
    const created = await call(us.url, 'POST', '/v1/tickets', { token: globex, body: germanTicket });
    expect(created.status).toBe(201);
    expect(created.body.homeRegion).toBe('us-east-1');
  });

  describe('in its home region', () => {
    let id: string;

    beforeAll(async () => {
      const created = await call(eu.url, 'POST', '/v1/tickets', {
        token: agent,
        body: germanTicket,
        headers: { 'idempotency-key': 'klara-1' },
      });
      expect(created.status).toBe(201);
      id = created.body.id;
      const reply = await call(eu.url, 'POST', `/v1/tickets/${id}/messages`, { token: agent, body: { body: pii.reply, from: 'agent' } });
      expect(reply.status).toBe(201);
    });

    it('is stored, shows its home region, and reads back in plain form for its tenant', async () => {
      const read = await call(eu.url, 'GET', `/v1/tickets/${id}`, { token: agent });
      expect(read.body).toMatchObject({
        homeRegion: 'eu-central-1',
        subject: pii.subject,
        description: pii.description,
        requester: { email: pii.email, name: pii.name, phone: pii.phone, country: 'DE' },
      });
      expect(read.body.requester.subjectId).toMatch(/^[0-9A-Z]{26}$/);
      const messages = await call(eu.url, 'GET', `/v1/tickets/${id}/messages`, { token: agent });
      expect(messages.body.items.map((m: { body: string }) => m.body)).toEqual([pii.reply]);
      const events = await call(eu.url, 'GET', `/v1/tickets/${id}/events`, { token: agent });
      expect(events.body.items[0].data.requester.email).toBe(pii.email);
    });

    it('is absent from us-east-1', async () => {
      expect((await call(us.url, 'GET', `/v1/tickets/${id}`, { token: agent })).status).toBe(404);
      expect((await call(us.url, 'GET', '/v1/tickets', { token: agent })).body.items).toEqual([]);
      for (const items of Object.values(await rawTables(us))) expect(items.join()).not.toContain(id);
    });

    it('the queue opens personal data for agents and finds the requester by email through a keyed hash', async () => {
      const queue = await eventually(
        () => call(eu.url, 'GET', '/v1/tickets', { token: agent }),
        (reply) => reply.body.items?.[0]?.messageCount === 1,
      );
      expect(queue.body.items).toMatchObject([{ id, subject: pii.subject, requester: { email: pii.email, name: pii.name } }]);
      const byEmail = await call(eu.url, 'GET', `/v1/tickets?requesterEmail=${encodeURIComponent(pii.email.toUpperCase())}`, {
        token: agent,
      });
      expect(byEmail.body.items.map((t: { id: string }) => t.id)).toEqual([id]);
      const bySubject = await call(eu.url, 'GET', `/v1/tickets?requester=${queue.body.items[0].requester.subjectId}`, { token: agent });
      expect(bySubject.body.items.map((t: { id: string }) => t.id)).toEqual([id]);
      const stranger = await call(eu.url, 'GET', '/v1/tickets?requesterEmail=someone.else%40example.de', { token: agent });
      expect(stranger.body).toEqual({ items: [], nextCursor: null });
    });

    it('an auditor sees personal data sealed, as stored', async () => {
      const auditor = await rt.token('acme', ['auditor']);
      const read = await call(eu.url, 'GET', `/v1/tickets/${id}`, { token: auditor });
      expect(read.status).toBe(200);
      expect(read.body.requester.email).toMatch(/^pii:1:[0-9A-Z]{26}:/);
      expect(read.body.subject).toMatch(/^pii:1:/);
      expect(read.body.requester.country).toBe('DE');
    });

    it('its events reach the bus in PII-free form: ids, types, timestamps and SLA facts', async () => {
      const published = await eventually(
        async () => eu.bus.published.filter((event) => event.detail.ticketId === id),
        (events) => events.length >= 3,
      );
      expect(published.map((event) => event.detailType)).toEqual(['TicketOpened', 'MessageAdded', 'StatusChanged']);
      expect(published[0]).toEqual({
        source: 'meridian.tickets',
        detailType: 'TicketOpened',
        detail: {
          eventId: expect.stringMatching(/^[0-9A-Z]{26}$/),
          ticketId: id,
          tenantId: 'acme',
          version: 1,
          occurredAt: expect.any(String),
          region: 'eu-central-1',
          channel: 'phone',
          priority: 'normal',
          homeRegion: 'eu-central-1',
          requesterCountry: 'DE',
        },
      });
      expect(us.bus.published.filter((event) => event.detail.ticketId === id)).toEqual([]);
      expect(plainPii(published.map((event) => JSON.stringify(event)))).toEqual([]);
      expect(JSON.stringify(published)).not.toContain('pii:1:');
    });

    it('a raw scan of every table and the logs of the whole scenario hold none of its personal data', async () => {
      const stored = [...Object.values(await rawTables(eu)), ...Object.values(await rawTables(us))].flat();
      expect(stored.some((item) => item.includes('pii:1:'))).toBe(true);
      expect(plainPii(stored)).toEqual([]);
      expect(rt.logs.length).toBeGreaterThan(5);
      expect(plainPii(rt.logs)).toEqual([]);
    });
  });
});
