import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { problemFromError } from '../../functions/shared/http/problem-from-error.ts';
import { localConfig } from '../../infra/local/runtime.ts';
import { capturingLogger } from '../support/logs.ts';

const config = localConfig('eu-central-1', 'http://127.0.0.1:8000');

describe('a dependency that stays throttled or down through every SDK retry', () => {
  const throttled = new ProvisionedThroughputExceededException({ message: 'exceeded', $metadata: { httpStatusCode: 400 } });
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });

  it.each([['throttling', throttled], ['a refused connection', refused]])('answers %s with 503 and Retry-After, logged as a warning', (_, error) => {
    const logs: string[] = [];
    const response = problemFromError(error, capturingLogger(logs), config).toResponse();
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json', 'retry-after': '1' });
    expect(JSON.parse(response.body!)).toMatchObject({ type: 'urn:meridian:problem:unavailable', status: 503 });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('"level":"WARN"');
    expect(logs[0]).not.toContain('127.0.0.1');
  });

  it('still answers a bug with 500', () => {
    const response = problemFromError(new TypeError('x is undefined'), capturingLogger([]), config).toResponse();
    expect(response.statusCode).toBe(500);
    expect(response.headers).not.toHaveProperty('retry-after');
  });
});
