import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAudience, localIssuer } from '../../infra/local/jwt.ts';
import { call, newTicket, type Reply, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const expectProblem = (reply: Reply, status: number) => {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.body).toMatchObject({
    type: expect.stringMatching(/^urn:meridian:problem:/),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
};

describe('bad input: a clear problem, nothing written, never a 5xx', () => {
  let rt: TestRuntime;
  let agent: string;
  let ticketId: string;
  let written: () => Promise<number>;

  beforeAll(async () => {
    rt = await startTestRuntime();
    agent = await rt.token('acme', ['agent']);
    ticketId = (await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket() })).body.id;
    const { deps } = rt.endpoints[0]!;
    // The rate limiter's counters (pk "rate:...") count every request, refused or not: they are not what a request wrote.
    const count = async (table: string) =>
      (
        await deps.dynamodb.send(
          new ScanCommand({
            TableName: table,
            Select: 'COUNT',
            FilterExpression: 'attribute_not_exists(pk) OR NOT begins_with(pk, :rate)',
            ExpressionAttributeValues: { ':rate': { S: 'rate:' } },
          }),
        )
      ).Count ?? 0;
    written = async () => (await count(deps.config.eventsTable)) + (await count(deps.config.idempotencyTable));
  });
  afterAll(() => rt.stop());

  const cases: Array<[string, number, () => Promise<Reply>]> = [
    [
      'malformed JSON',
      400,
      () => call(rt.url, 'POST', '/v1/tickets', { token: agent, raw: '{"subject": ', headers: { 'content-type': 'application/json' } }),
    ],
    [
      'an empty body',
      400,
      () => call(rt.url, 'POST', '/v1/tickets', { token: agent, raw: '', headers: { 'content-type': 'application/json' } }),
    ],
    ['JSON that is not an object', 400, () => call(rt.url, 'POST', '/v1/tickets', { token: agent, body: [1, 2] })],
    [
      'a wrong content type',
      415,
      () =>
        call(rt.url, 'POST', '/v1/tickets', { token: agent, raw: JSON.stringify(newTicket()), headers: { 'content-type': 'text/plain' } }),
    ],
    ['no content type', 415, () => call(rt.url, 'POST', '/v1/tickets', { token: agent, raw: JSON.stringify(newTicket()) })],
    ['an unknown field', 400, () => call(rt.url, 'POST', '/v1/tickets', { token: agent, body: { ...newTicket(), sneaky: true } })],
    [
      'an unknown nested field',
      400,
      () =>
        call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ requester: { ...newTicket().requester, admin: true } }) }),
    ],
    [
      'a bad email, country, locale and time zone',
      400,
      () =>
        call(rt.url, 'POST', '/v1/tickets', {
          token: agent,
          body: newTicket({ requester: { email: 'nope', name: 'A', country: 'XX', locale: '!!', timeZone: 'Mars/Base' } }),
        }),
    ],
    ['an unknown channel', 400, () => call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ channel: 'pigeon' }) })],
    [
      'a body over 256 KB',
      413,
      () => call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ description: 'x'.repeat(257 * 1024) }) }),
    ],
    ['a bad ticket id', 400, () => call(rt.url, 'GET', '/v1/tickets/not-a-ulid', { token: agent })],
    ['an unknown ticket', 404, () => call(rt.url, 'GET', '/v1/tickets/01JDZ0000000000000000000ZZ', { token: agent })],
    [
      'a message to an unknown ticket',
      404,
      () => call(rt.url, 'POST', '/v1/tickets/01JDZ0000000000000000000ZZ/messages', { token: agent, body: { body: 'x', from: 'agent' } }),
    ],
    ['an empty PATCH', 400, () => call(rt.url, 'PATCH', `/v1/tickets/${ticketId}`, { token: agent, body: {} })],
    ['an illegal transition', 409, () => call(rt.url, 'PATCH', `/v1/tickets/${ticketId}`, { token: agent, body: { status: 'closed' } })],
    [
      'a malformed If-Match',
      400,
      () => call(rt.url, 'PATCH', `/v1/tickets/${ticketId}`, { token: agent, body: { priority: 'low' }, headers: { 'if-match': 'three' } }),
    ],
    [
      'a weak If-Match',
      412,
      () => call(rt.url, 'PATCH', `/v1/tickets/${ticketId}`, { token: agent, body: { priority: 'low' }, headers: { 'if-match': 'W/"1"' } }),
    ],
    [
      'a bad Idempotency-Key',
      400,
      () => call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket(), headers: { 'idempotency-key': 'ü'.repeat(3) } }),
    ],
    [
      'a requester note',
      409,
      () =>
        call(rt.url, 'POST', `/v1/tickets/${ticketId}/messages`, { token: agent, body: { body: 'x', from: 'requester', public: false } }),
    ],
    ['an unknown query parameter', 400, () => call(rt.url, 'GET', '/v1/tickets?stauts=open', { token: agent })],
    ['a limit out of range', 400, () => call(rt.url, 'GET', '/v1/tickets?limit=1000', { token: agent })],
    ['an unknown route', 404, () => call(rt.url, 'GET', '/v2/tickets', { token: agent })],
    ['a method the route does not have', 405, () => call(rt.url, 'DELETE', `/v1/tickets/${ticketId}`, { token: agent })],
  ];

  for (const [name, status, send] of cases) {
    it(`${name}: ${status}`, async () => {
      const before = await written();
      const reply = await send();
      expectProblem(reply, status);
      expect(await written()).toBe(before);
    });
  }

  it('names each field that failed, as a JSON Pointer', async () => {
    const reply = await call(rt.url, 'POST', '/v1/tickets', {
      token: agent,
      body: { ...newTicket({ requester: { email: 'x', name: 'A', country: 'DE' } }), extra: 1 },
    });
    expect(reply.body.errors).toEqual(
      expect.arrayContaining([
        { path: '/requester/email', location: 'body', message: expect.any(String) },
        { path: '/extra', location: 'body', message: 'Unknown field' },
      ]),
    );
  });
});

describe('tokens and roles', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.stop());

  const sign = (claims: Record<string, unknown>, tweak: (jwt: SignJWT) => SignJWT = (jwt) => jwt, secret?: Uint8Array) =>
    tweak(
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('a')
        .setIssuer(localIssuer)
        .setAudience(localAudience)
        .setExpirationTime('1h'),
    ).sign(secret ?? rt.secret);

  it('401 without a valid token, whatever is wrong with it', async () => {
    const claims = { tenant: 'acme', roles: ['agent'] };
    const bad = [
      undefined,
      'not-a-jwt',
      await sign(claims, (jwt) => jwt.setExpirationTime(Math.floor(Date.now() / 1000) - 60)),
      await sign(claims, (jwt) => jwt, new TextEncoder().encode('another secret entirely, 32+ bytes')),
      new UnsecuredJWT({ ...claims, sub: 'a' }).setIssuer(localIssuer).setAudience(localAudience).setExpirationTime('1h').encode(),
      await sign(claims, (jwt) => jwt.setIssuer('https://evil.example')),
      await sign(claims, (jwt) => jwt.setAudience('another-api')),
      await sign({ roles: ['agent'] }),
      await sign({ tenant: 'acme' }),
      await sign({ tenant: 'has spaces', roles: ['agent'] }),
    ];
    for (const token of bad) {
      const reply = await call(rt.url, 'GET', '/v1/tickets', { token });
      expectProblem(reply, 401);
    }
  });

  it('403 for a role that may not, 200 for one that may', async () => {
    const auditor = await rt.token('acme', ['auditor']);
    const dpo = await rt.token('acme', ['dpo']);
    expectProblem(await call(rt.url, 'POST', '/v1/tickets', { token: auditor, body: newTicket() }), 403);
    expectProblem(await call(rt.url, 'POST', '/v1/tickets', { token: dpo, body: newTicket() }), 403);
    expectProblem(await call(rt.url, 'GET', '/v1/tickets?requesterEmail=anna%40example.de', { token: auditor }), 403);
    expect((await call(rt.url, 'GET', '/v1/tickets', { token: dpo })).status).toBe(200);
    expect((await call(rt.url, 'GET', '/v1/tickets', { token: auditor })).status).toBe(200);
    const apiGatewayStyle = await sign({ tenant: 'acme', roles: '[auditor agent]' });
    expect((await call(rt.url, 'POST', '/v1/tickets', { token: apiGatewayStyle, body: newTicket() })).status).toBe(201);
  });

  it('health, the document and its page need no token', async () => {
    expect(await call(rt.url, 'GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok', region: 'eu-central-1' } });
    expect((await call(rt.url, 'GET', '/openapi.json')).body.openapi).toBe('3.1.0');
    const page = await call(rt.url, 'GET', '/docs');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain('/openapi.json');
    const script = await call(rt.url, 'GET', '/docs/swagger-ui-bundle.js');
    expect(script.status).toBe(200);
    expect(String(script.body).length).toBeGreaterThan(100_000);
    expectProblem(await call(rt.url, 'GET', '/docs/..%2F..%2Fpackage.json'), 404);
  });
});
