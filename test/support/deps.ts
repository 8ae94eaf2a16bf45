import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { inject } from 'vitest';
import { localCredentials } from '../../infra/local/engine.ts';
import { ephemeralVault } from '../../infra/local/key-file-vault.ts';
import { localConfig } from '../../infra/local/runtime.ts';
import { ensureRegionTables } from '../../infra/local/tables.ts';
import { compose, type Deps } from '../../functions/shared/composition.ts';
import { unpublishedMetrics } from '../../functions/shared/observability.ts';

/** A composition over fresh tables in the shared engine, for tests below the HTTP layer. */
export async function testDeps(overrides: { clock?: () => Date } = {}): Promise<Deps & { streamArn: string }> {
  const config = localConfig('eu-central-1', inject('dynamodbEndpoint'), { tablePrefix: `t${randomBytes(4).toString('hex')}` });
  const logger = new Logger({ logLevel: 'SILENT' });
  const deps = compose(
    { ...config, idempotencyTtlSeconds: 3600 },
    { credentials: localCredentials, logger, metrics: unpublishedMetrics('eu-central-1', logger), keyVault: ephemeralVault(), ...overrides },
  );
  const streamArn = await ensureRegionTables(deps.dynamodb, deps.config);
  return { ...deps, streamArn };
}
