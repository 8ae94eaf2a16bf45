import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { problemFromError } from '../../functions/shared/platform/http/problem-from-error.ts';
import { unpublishedMetrics } from '../../functions/shared/platform/observability.ts';
import { localConfig } from '../../infra/local/runtime.ts';
import { capturingLogger } from '../support/logs.ts';

const config = localConfig('eu-central-1', 'http://127.0.0.1:8000');
const metrics = unpublishedMetrics('eu-central-1', capturingLogger([]));

describe('a dependency that stays throttled or down through every SDK retry', () => {
  const throttled = new ProvisionedThroughputExceededException({ message: 'exceeded', $metadata: { httpStatusCode: 400 } });
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });

  it.each([
    ['throttling', throttled],
    ['a refused connection', refused],
  ])('answers %s with 503 and Retry-After, logged as a warning', (_, error) => {
    const logs: string[] = [];
    const response = problemFromError(error, { logger: capturingLogger(logs), config, metrics }).toResponse();
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json', 'retry-after': '1' });
    expect(JSON.parse(response.body!)).toMatchObject({ type: 'urn:meridian:problem:unavailable', status: 503 });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('"level":"WARN"');
    expect(logs[0]).not.toContain('127.0.0.1');
    expect(metrics.serializeMetrics()._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: 'DependencyUnavailable', Unit: 'Count' }]);
    metrics.clearMetrics();
  });

  it('still answers a bug with 500', () => {
    const response = problemFromError(new TypeError('x is undefined'), { logger: capturingLogger([]), config, metrics }).toResponse();
    expect(response.statusCode).toBe(500);
    expect(response.headers).not.toHaveProperty('retry-after');
    expect(metrics.serializeMetrics()._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: 'UnhandledErrors', Unit: 'Count' }]);
  });
});
