import { parseList } from 'structured-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, newTicket, type Reply, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** The two fields as the IETF httpapi draft defines them, read with a Structured Fields parser (RFC 9651). */
const fieldsOf = (reply: Reply) => {
  const read = (name: string) =>
    Object.fromEntries(parseList(reply.headers.get(name) ?? '').map(([id, params]) => [String(id), Object.fromEntries(params)]));
  return { policy: read('ratelimit-policy'), limit: read('ratelimit') };
};

describe('rate limits per tenant and per token, stated in RateLimit-Policy and RateLimit', () => {
  let rt: TestRuntime;
  // A fixed instant, 30 s into the current minute, so the window cannot turn over during the test;
  // of today, because DynamoDB Local's TTL sweeper removes counters by the real time.
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30_000);

  beforeAll(async () => {
    rt = await startTestRuntime({
      clock: () => now,
      rateLimits: { tenantPerMinute: 8, tokenPerMinute: 5, tenants: { globex: { tokenPerMinute: 2 } } },
    });
  }, 60_000);
  afterAll(() => rt?.stop());

  it("states both policies on every answer, and counts each token's requests down to a 429 with Retry-After", async () => {
    const token = await rt.token('acme', ['agent'], 'agent-1');
    const answers: Reply[] = [];
    answers.push(await call(rt.url, 'GET', '/v1/tickets', { token }));
    answers.push(await call(rt.url, 'GET', '/v1/tickets/01JDZ0000000000000000000AA', { token }));
    answers.push(await call(rt.url, 'POST', '/v1/tickets', { token, body: { subject: '' } }));
    answers.push(await call(rt.url, 'POST', '/v1/tickets', { token, body: newTicket() }));
    answers.push(await call(rt.url, 'GET', '/v1/tickets', { token }));
    expect(answers.map((a) => a.status)).toEqual([200, 404, 400, 201, 200]);
    for (const [i, answer] of answers.entries()) {
      const { policy, limit } = fieldsOf(answer);
      expect(policy).toEqual({ tenant: { q: 8, w: 60 }, token: { q: 5, w: 60 } });
      expect(limit).toEqual({ tenant: { r: 8 - (i + 1), t: 30 }, token: { r: 5 - (i + 1), t: 30 } });
    }
    const over = await call(rt.url, 'POST', '/v1/tickets', { token, body: newTicket({ subject: 'One too many' }) });
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toBe('application/problem+json');
    expect(over.body).toMatchObject({ type: 'urn:meridian:problem:too-many-requests', status: 429 });
    expect(over.headers.get('retry-after')).toBe('30');
    expect(fieldsOf(over).limit.token).toEqual({ r: 0, t: 30 });
    // Refused before anything ran: the ticket was not opened.
    const other = await rt.token('acme', ['agent'], 'agent-2');
    const listed = await call(rt.url, 'GET', '/v1/tickets', { token: other });
    expect(listed.body.items.map((t: { subject: string }) => t.subject)).not.toContain('One too many');
  });

  it("refuses every token of a tenant once the tenant's quota is spent, and no other tenant", async () => {
    // agent-1 sent 6 and agent-2 1: the tenant has 1 left.
    const third = await rt.token('acme', ['supervisor'], 'supervisor-1');
    expect((await call(rt.url, 'GET', '/v1/teams', { token: third })).status).toBe(200);
    const refused = await call(rt.url, 'GET', '/v1/teams', { token: third });
    expect(refused.status).toBe(429);
    expect(fieldsOf(refused).limit).toEqual({ tenant: { r: 0, t: 30 }, token: { r: 3, t: 30 } });
    const elsewhere = await call(rt.url, 'GET', '/v1/teams', { token: await rt.token('initech', ['agent'], 'agent-1') });
    expect(elsewhere.status).toBe(200);
    expect(fieldsOf(elsewhere).limit.tenant).toEqual({ r: 7, t: 30 });
  });

  it("takes a tenant's own limits", async () => {
    const token = await rt.token('globex', ['agent'], 'agent-1');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(rt.url, 'GET', '/v1/tickets', { token })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const reply = await call(rt.url, 'GET', '/v1/tickets', { token: await rt.token('globex', ['agent'], 'agent-2') });
    expect(fieldsOf(reply).policy).toEqual({ tenant: { q: 8, w: 60 }, token: { q: 2, w: 60 } });
  });

  it('leaves routes without a token alone', async () => {
    const health = await call(rt.url, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('ratelimit')).toBeNull();
  });
});
