import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../functions/api/openapi/document.ts';
import { apiRoutes } from '../functions/api/routes.ts';
import { problemTypes } from '../functions/shared/http/problem.ts';

describe('the OpenAPI document', () => {
  const document = openApiDocument() as any;

  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every route, with its problems as application/problem+json', () => {
    for (const route of apiRoutes) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(Boolean(operation.security), `${route.method} ${route.path} security`).toBe(route.auth);
      if (route.auth) {
        for (const status of [401, 403, 500]) {
          expect(operation.responses[status].content['application/problem+json']).toBeDefined();
        }
      }
    }
    expect(Object.keys(document.paths)).toHaveLength(new Set(apiRoutes.map((r) => r.path)).size);
  });

  it('documents each write contract: request bodies, Idempotency-Key, If-Match, 412 and 422', () => {
    const create = document.paths['/v1/tickets'].post;
    expect(create.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CreateTicket');
    expect(create.parameters.map((p: { name: string }) => p.name)).toContain('idempotency-key');
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '413', '415', '422']));
    const patch = document.paths['/v1/tickets/{id}'].patch;
    expect(patch.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'if-match']));
    expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(['200', '404', '409', '412']));
    const statuses = new Set(Object.values(problemTypes).map((p) => p.status));
    expect(statuses).toContain(421);
  });
});
