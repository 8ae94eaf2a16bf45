import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { startLocalRuntime } from '../../infra/local/runtime.ts';

/** A quiet local runtime for one bench section, in tables of its own, without rate limits; `secret` signs its tokens. */
export async function benchRuntime(endpoint: string, tablePrefix: string) {
  const secret = randomBytes(32);
  const runtime = await startLocalRuntime({
    regions: ['eu-central-1'],
    port: 0,
    dataDir: '.meridian-bench',
    dynamodbEndpoint: endpoint,
    jwtSecret: secret,
    tablePrefix,
    ephemeralKeys: true,
    logger: new Logger({ logLevel: 'SILENT' }),
    rateLimits: { tenantPerMinute: 10_000_000, tokenPerMinute: 10_000_000 },
  });
  return { runtime, secret };
}
