import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { inject } from 'vitest';
import { compose, type Overrides } from '../../functions/shared/platform/composition.ts';
import { unpublishedMetrics } from '../../functions/shared/platform/observability.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { localCredentials } from '../../infra/local/engine.ts';
import { ephemeralVault } from '../../infra/local/key-file-vault.ts';
import { localConfig } from '../../infra/local/runtime.ts';
import { ensureRegionTables } from '../../infra/local/tables.ts';

/** A composition over fresh tables in the shared engine, for tests below the HTTP layer. */
export async function testDeps(
  overrides: Omit<Overrides, 'credentials' | 'logger' | 'metrics' | 'keyVault'> = {},
): Promise<Deps & { streamArn: string; auditStreamArn: string }> {
  const config = localConfig('eu-central-1', inject('dynamodbEndpoint'), { tablePrefix: `t${randomBytes(4).toString('hex')}` });
  const deps = composeOver({ ...config, idempotencyTtlSeconds: 3600 }, overrides);
  const streams = await ensureRegionTables(deps.dynamodb, deps.config);
  return { ...deps, streamArn: streams.events, auditStreamArn: streams.audit };
}

/** A composition over these tables: another function instance of the same region, to testDeps' own. */
export function composeOver(
  config: Deps['config'],
  overrides: Omit<Overrides, 'credentials' | 'logger' | 'metrics' | 'keyVault'> = {},
): Deps {
  const logger = new Logger({ logLevel: 'SILENT' });
  return compose(config, {
    credentials: localCredentials,
    logger,
    metrics: unpublishedMetrics(config.region, logger),
    keyVault: ephemeralVault(),
    ...overrides,
  });
}
