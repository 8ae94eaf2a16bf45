import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../functions/api/openapi/document.ts';
import { apiRoutes } from '../functions/api/routes.ts';
import { problemTypes } from '../functions/shared/platform/http/problem.ts';

const run = promisify(execFile);

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
    const paths = new Set<string>();
    for (const route of apiRoutes) {
      for (const { path } of route.documents) {
        paths.add(path);
        const operation = document.paths[path]?.[route.method.toLowerCase()];
        expect(operation, `${route.method} ${path}`).toBeDefined();
        expect(operation.security.length > 0, `${route.method} ${path} security`).toBe(route.auth);
        if (route.auth) {
          for (const status of [401, 403, 500]) {
            expect(operation.responses[status].content['application/problem+json']).toBeDefined();
          }
        }
      }
    }
    expect(Object.keys(document.paths).sort()).toEqual([...paths].sort());
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

  it('passes Redocly CLI lint with its recommended rules: no error, no warning', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-openapi-'));
    const file = join(dir, 'openapi.json');
    const endpoints = { 'eu-central-1': 'https://api.eu-central-1.meridian.test', 'us-east-1': 'https://api.us-east-1.meridian.test' };
    writeFileSync(file, JSON.stringify(openApiDocument({ region: 'eu-central-1', regionEndpoints: endpoints })));
    try {
      // Exit 1 on any error; the JSON report says which rule found what.
      const lint = await run('npx', ['redocly', 'lint', file, '--extends=recommended', '--format=json'], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      }).catch((failed: { stdout: string }) => failed);
      const report = JSON.parse(lint.stdout) as {
        totals: { errors: number; warnings: number };
        problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }>;
      };
      expect(report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists this region first among its servers, then the others', () => {
    const servers = openApiDocument({
      region: 'us-east-1',
      regionEndpoints: { 'eu-central-1': 'https://eu.test', 'us-east-1': 'https://us.test' },
    }).servers;
    expect(servers).toEqual([
      { url: 'https://us.test', description: 'us-east-1 (this endpoint)' },
      { url: 'https://eu.test', description: 'eu-central-1' },
    ]);
    expect(openApiDocument().servers).toEqual([{ url: '/', description: 'This endpoint' }]);
  });
});
