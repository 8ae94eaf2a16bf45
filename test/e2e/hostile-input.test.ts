import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../domain/access.ts';
import { openApiDocument } from '../../functions/api/openapi/document.ts';
import { type ApiRoute, apiRoutes } from '../../functions/api/routes.ts';
import { call, settledTables, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** A marker of personal data inside hostile input: it must never come back in a body or a log line. */
const pii = 'victim.person@example.com';

const document = openApiDocument() as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
/** The statuses the route's operations declare (a route the document shows per channel has several). */
const declared = (route: ApiRoute) =>
  new Set(route.documents.flatMap(({ path }) => Object.keys(document.paths[path]![route.method.toLowerCase()]!.responses).map(Number)));

/** Every kind of junk a client can send: text of any script, huge values, deep nesting, wrong types. */
const junkText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '../..', '%00', '\u202e', pii, 'x'.repeat(5000)),
);
const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const junkBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .record({ email: fc.constant(pii), body: junkText, score: fc.oneof(fc.integer(), fc.double(), fc.string()) })
    .map((v) => JSON.stringify(v)),
  junkText,
  fc.constantFrom(deep(5000), `{"a":${deep(200)}}`, '{"subject":' + '"x"'.repeat(2) + '}', 'null', '[]', '{}', `"${'y'.repeat(300_000)}"`),
);
const junkQuery = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'status',
      'limit',
      'cursor',
      'from',
      'to',
      'groupBy',
      'type',
      'requesterEmail',
      'eraseClosedTicketsAfterDays',
      'hub.mode',
    ),
    fc.string({ maxLength: 8 }),
  ),
  junkText,
  { maxKeys: 4 },
);
const junkParam = fc.oneof(
  junkText.filter((t) => t.length > 0),
  fc.constantFrom('01JDZ0000000000000000000AA', 'ZZZZZZZZZZZZZZZZZZZZZZZZZZ', '0'.repeat(300)),
);
const junkHeaders = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'text/plain',
      'application/json; charset=latin1',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      '',
    ),
    'if-match': fc.oneof(junkText, fc.constantFrom('*', '"1"', 'W/"1"')),
    'idempotency-key': junkText,
    'x-correlation-id': junkText,
  },
  { requiredKeys: ['content-type'] },
);

describe('hostile input at every route of the OpenAPI document (property test, fixed seed)', () => {
  let rt: TestRuntime;
  let token: string;
  const logs = () => rt.logs.join('\n');

  beforeAll(async () => {
    rt = await startTestRuntime();
    // Every role but auditor (whose reads are themselves recorded): authorisation lets everything
    // through, so parsing and validation are what is tested, and a refused request writes nothing.
    token = await rt.token(
      'acme',
      roles.filter((role) => role !== 'auditor'),
    );
  }, 60_000);
  afterAll(() => rt?.stop());

  it.each(apiRoutes.filter((r) => r.path !== '/docs/{asset}').map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s',
    async (_, route) => {
      const before = await settledTables(rt.endpoints[0]!.deps);
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(junkParam, junkQuery, junkBody, junkHeaders, async (param, query, body, headers) => {
          const path = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(param));
          const search = new URLSearchParams(query).toString();
          const headerValues = Object.fromEntries(
            Object.entries(headers).map(([name, value]) => [name, value.replace(/[^\x20-\x7e]/g, '?')]),
          );
          const reply = await call(rt.url, route.method, `${path}${search ? `?${search}` : ''}`, {
            token: route.auth ? token : undefined,
            raw: route.method === 'GET' ? undefined : body,
            headers: headerValues,
          });
          const context = `${route.method} ${path}?${search} -> ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`;
          expect(reply.status, context).toBeLessThan(500);
          const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? '');
          expect(text, context).not.toContain(pii);
          expect(text, context).not.toMatch(/\bat .+\.(ts|js):\d+/);
          if (reply.status >= 400) {
            expect(reply.headers.get('content-type'), context).toContain('application/problem+json');
            expect(reply.body, context).toMatchObject({ type: expect.stringMatching(/^urn:meridian:problem:/), status: reply.status });
            // 404 for an id that names nothing, 405 where a path's own route has another method: both before any operation runs.
            if (![404, 405].includes(reply.status)) expect([...declared(route)], context).toContain(reply.status);
          } else if (route.method !== 'GET') accepted += 1;
        }),
        { seed: 20261125, numRuns: 12 },
      );
      expect(logs()).not.toContain(pii);
      // Nothing a refused request sent was written.
      if (accepted === 0) expect(await settledTables(rt.endpoints[0]!.deps)).toBe(before);
    },
    120_000,
  );
});
