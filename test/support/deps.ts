import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { inject } from 'vitest';
import { localCredentials } from '../../infra/local/engine.ts';
import { localTableNames } from '../../infra/local/runtime.ts';
import { ensureTable } from '../../infra/local/tables.ts';
import { compose, type Deps } from '../../functions/shared/composition.ts';
import { eventsTable, idempotencyTable, viewsTable } from '../../functions/shared/tables.ts';

/** A composition over fresh tables in the shared engine, for tests below the HTTP layer. */
export async function testDeps(overrides: { clock?: () => Date } = {}): Promise<Deps & { streamArn: string }> {
  const region = 'eu-central-1';
  const deps = compose(
    {
      region,
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      maxWriteAttempts: 60,
      idempotencyTtlSeconds: 3600,
      ...localTableNames(region, `t${randomBytes(4).toString('hex')}`),
    },
    { credentials: localCredentials, logger: new Logger({ logLevel: 'SILENT' }), ...overrides },
  );
  const streamArn = await ensureTable(deps.dynamodb, deps.config.eventsTable, eventsTable);
  await ensureTable(deps.dynamodb, deps.config.viewsTable, viewsTable);
  await ensureTable(deps.dynamodb, deps.config.idempotencyTable, idempotencyTable);
  return { ...deps, streamArn: streamArn! };
}
