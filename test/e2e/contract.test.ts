import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../functions/api/routes.ts';
import { call, newTicket, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { arbitraryOf, type Hints, resolve, type Schema } from '../support/schema-arbitrary.ts';

/**
 * The API against its own document, as a generated client would meet it: for every operation of
 * /openapi.json, requests that its schemas allow (fast-check from the schemas, kept only when Ajv
 * agrees they are valid), sent over HTTP. Every answer is < 500, has a status the operation
 * declares, and a body that validates against the declared schema; a 400 points only where the
 * operation's `x-refusals` says a valid request can still be refused.
 */
const seed = 20261130;
const runsPerOperation = 12;
const methods = ['get', 'put', 'post', 'patch', 'delete'] as const;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}
interface GeneratedRequest {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  body?: unknown;
}

describe('every operation of /openapi.json, with requests its schemas allow', () => {
  let rt: TestRuntime;
  let document: Schema;
  let token: string;
  let ajv: Ajv2020;
  const known: Record<string, string> = {};
  const validators = new Map<string, ValidateFunction>();

  /** A validator for the schema at this pointer of the document (its references resolve within it). */
  const validatorAt = (pointer: string) => {
    if (!validators.has(pointer)) validators.set(pointer, ajv.compile({ $ref: `openapi.json${pointer}` }));
    return validators.get(pointer)!;
  };
  const escape = (part: string) => part.replaceAll('~', '~0').replaceAll('/', '~1');

  beforeAll(async () => {
    rt = await startTestRuntime();
    token = await rt.token('acme', ['agent', 'supervisor', 'dpo', 'auditor', 'integrator'], 'agent-1');
    document = (await call(rt.url, 'GET', '/openapi.json')).body;
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    // ajv-formats is CommonJS with a default export.
    (formats as unknown as { default: (ajv: Ajv2020) => void }).default(ajv);
    ajv.addSchema(document, 'openapi.json');
    await seedItems();
  }, 60_000);
  afterAll(() => rt?.stop());

  /** Items for path parameters to name, so that success answers are checked too, not only 404s. */
  async function seedItems() {
    const put = async (path: string, body: unknown) => expect((await call(rt.url, 'PUT', path, { token, body })).status).toBeLessThan(300);
    const ticket = await call(rt.url, 'POST', '/v1/tickets', { token, body: newTicket() });
    expect(ticket.status).toBe(201);
    known.ticket = ticket.body.id;
    known.requester = ticket.body.requester.subjectId;
    await call(rt.url, 'POST', `/v1/tickets/${known.ticket}/messages`, { token, body: { body: 'We are on it', from: 'agent' } });
    const dsar = await call(rt.url, 'POST', '/v1/dsar', {
      token,
      body: { type: 'access', subject: { requesterId: known.requester }, law: 'gdpr' },
    });
    expect(dsar.status).toBe(202);
    known.dsar = dsar.body.id;
    await put('/v1/calendars/berlin', { timeZone: 'Europe/Berlin', hours: { mon: [['09:00', '17:00']] } });
    await put('/v1/teams/tier-1', { name: 'Tier 1', calendarId: 'berlin' });
    await put('/v1/sla-policies/standard', { rank: 1, targets: { firstReply: 'PT4H' }, businessHours: false });
    await put('/v1/routing-rules/germany', { rank: 1, match: { country: 'DE' }, team: 'tier-1' });
    await put('/v1/channels/whatsapp', { country: 'DE', secrets: { appSecret: 'app-secret-1', verifyToken: 'verify-token-1' } });
  }

  /** The item a path parameter should mostly name: the seeded one of its collection. */
  const knownFor = (path: string, name: string): string | undefined => {
    if (name === 'tenant') return 'acme';
    if (name === 'asset') return 'swagger-ui.css';
    if (name !== 'id') return undefined;
    const collections: Array<[string, string]> = [
      ['/v1/tickets/', known.ticket!],
      ['/v1/audit/tickets/', known.ticket!],
      ['/v1/dsar/', known.dsar!],
      ['/v1/requesters/', known.requester!],
      ['/v1/calendars/', 'berlin'],
      ['/v1/teams/', 'tier-1'],
      ['/v1/sla-policies/', 'standard'],
      ['/v1/routing-rules/', 'germany'],
    ];
    return collections.find(([prefix]) => path.startsWith(prefix))?.[1];
  };

  /** Bodies mostly about this region's requesters, so that writes get past residency (421) often enough. */
  const bodyHints: Hints = { country: fc.constantFrom('DE', 'FR', 'AT'), team: fc.constant('tier-1'), calendarId: fc.constant('berlin') };

  function requestArbitrary(path: string, method: string, operation: Schema): fc.Arbitrary<GeneratedRequest> {
    const parameters = (operation.parameters ?? []) as Parameter[];
    const part = (where: Parameter['in']) => {
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      const required: string[] = [];
      for (const parameter of parameters.filter((p) => p.in === where && p.name !== 'cursor')) {
        const random = arbitraryOf(parameter.schema, document);
        const preferred = where === 'path' ? knownFor(path, parameter.name) : undefined;
        model[parameter.name] = preferred
          ? fc.oneof({ weight: 3, arbitrary: fc.constant(preferred) }, { weight: 1, arbitrary: random })
          : random;
        if (parameter.required) required.push(parameter.name);
      }
      return fc.record(model, { requiredKeys: required });
    };
    const json = operation.requestBody?.content?.['application/json']?.schema;
    const body = json ? arbitraryOf(json, document, bodyHints) : fc.constant(undefined);
    return fc
      .record({ path: part('path'), query: part('query'), header: part('header'), body })
      .map((request) => ({ ...request, method }) as GeneratedRequest);
  }

  /** Whether every part of the request is valid by the document (what the client would check). */
  function allowed(pathPointer: string, operation: Schema, request: GeneratedRequest): boolean {
    const parameters = (operation.parameters ?? []) as Parameter[];
    const parametersValid = parameters.every((parameter, i) => {
      const value = request[parameter.in][parameter.name];
      if (value === undefined) return !parameter.required;
      return validatorAt(`${pathPointer}/parameters/${i}/schema`)(value);
    });
    const bodyValid =
      request.body === undefined
        ? !operation.requestBody?.required
        : validatorAt(`${pathPointer}/requestBody/content/application~1json/schema`)(request.body);
    return parametersValid && bodyValid;
  }

  const urlOf = (path: string, request: GeneratedRequest) => {
    const filled = path.replace(/\{([^}]+)\}/g, (_all, name: string) => encodeURIComponent(String(request.path[name])));
    const query = new URLSearchParams(
      Object.entries(request.query)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, string] => [k, String(v)]),
    );
    return `${filled}${query.size ? `?${query}` : ''}`;
  };

  /** The body paths a 400 may name for a valid request, as patterns ('*' for any index). */
  const refusalPatterns = (operation: Schema) =>
    ((operation['x-refusals'] ?? []) as Array<{ in: string; path: string }>).map(
      (refusal) => new RegExp(`^${refusal.in}:${refusal.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]+')}$`),
    );

  const operations = () =>
    Object.entries(document.paths as Record<string, Schema>).flatMap(([path, item]) =>
      methods.filter((method) => item[method]).map((method) => ({ path, method, operation: item[method] as Schema })),
    );

  it('answers every allowed request with a declared status and a body of the declared schema', { timeout: 600_000 }, async () => {
    const tally = { requests: 0, discarded: 0, byStatus: new Map<number, number>() };
    for (const { path, method, operation } of operations()) {
      const pathPointer = `#/paths/${escape(path)}/${method}`;
      const refusals = refusalPatterns(operation);
      await fc
        .assert(
          fc.asyncProperty(requestArbitrary(path, method, operation), async (request) => {
            if (!allowed(pathPointer, operation, request)) {
              tally.discarded += 1;
              fc.pre(false);
            }
            const headers = Object.fromEntries(
              Object.entries(request.header)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, String(v)]),
            );
            const reply = await call(rt.url, method.toUpperCase(), urlOf(path, request), { token, body: request.body, headers });
            tally.requests += 1;
            tally.byStatus.set(reply.status, (tally.byStatus.get(reply.status) ?? 0) + 1);
            const what = `${method.toUpperCase()} ${urlOf(path, request)} -> ${reply.status} ${JSON.stringify(reply.body)?.slice(0, 400)}`;
            expect(reply.status, what).toBeLessThan(500);
            const declared = operation.responses[String(reply.status)] ?? operation.responses.default;
            expect(declared, `${what}: status not declared`).toBeDefined();
            const contentType = (reply.headers.get('content-type') ?? '').split(';')[0]!.trim();
            if (declared.content?.[contentType]?.schema) {
              const validate = validatorAt(`${pathPointer}/responses/${reply.status}/content/${escape(contentType)}/schema`);
              expect(validate(reply.body), `${what}: ${ajv.errorsText(validate.errors)}`).toBe(true);
            } else if (!declared.content) {
              expect(reply.body ?? '', `${what}: a body where none is declared`).toBe('');
            }
            if (reply.status === 400) {
              const named = (reply.body.errors ?? [{ location: 'body', path: '' }]) as Array<{ location: string; path: string }>;
              const documented = named.every((error) => refusals.some((pattern) => pattern.test(`${error.location}:${error.path}`)));
              expect(documented, `${what}: refused for a shape the schema allows`).toBe(true);
            }
          }),
          { seed, numRuns: runsPerOperation, maxSkipsPerRun: 200, endOnFailure: true },
        )
        .catch((error: Error) => {
          throw new Error(`${method.toUpperCase()} ${path}: ${error.message}`, { cause: error });
        });
    }
    // The run proves something only if requests reached the handlers and succeeded there too.
    expect(tally.requests).toBeGreaterThanOrEqual(operations().length * runsPerOperation);
    const successes = [...tally.byStatus].filter(([status]) => status < 300).reduce((sum, [, count]) => sum + count, 0);
    expect(successes, JSON.stringify([...tally.byStatus])).toBeGreaterThan(tally.requests / 4);
  });

  it('walks every operation the document has', () => {
    expect(operations()).toHaveLength(apiRoutes.flatMap((route) => route.documents).length);
    expect(resolve('#/components/schemas/Ticket', document).type).toBe('object');
  });
});
