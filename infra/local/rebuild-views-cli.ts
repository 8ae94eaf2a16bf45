import './quiet-sdk-node-warning.ts';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { rebuildTicketViews } from '../../functions/projector/rebuild.ts';
import { compose } from '../../functions/shared/composition.ts';
import { configFromEnv } from '../../functions/shared/config.ts';
import { type Engine, localCredentials, startEngine } from './engine.ts';
import { localConfig } from './runtime.ts';
import { localSettings } from './settings.ts';

/**
 * `npm run rebuild-views`: folds every ticket stream of the events table into the views table again.
 * With EVENTS_TABLE set it works on that one region's tables (AWS, or DYNAMODB_ENDPOINT);
 * otherwise on every local region of MERIDIAN_REGIONS, starting the engine on MERIDIAN_DATA_DIR
 * unless DYNAMODB_ENDPOINT points at a running one (the engine's files take one process at a time).
 */
async function main() {
  const logger = new Logger({ logLevel: 'WARN' });
  if (process.env.EVENTS_TABLE) {
    const config = configFromEnv();
    await rebuild(compose(config, { logger, credentials: config.dynamodbEndpoint ? localCredentials : undefined }));
    return;
  }
  const settings = localSettings(process.env);
  let engine: Engine | undefined;
  const endpoint = settings.DYNAMODB_ENDPOINT ?? (engine = await startEngine({ dataDir: join(settings.MERIDIAN_DATA_DIR, 'dynamodb') })).endpoint;
  try {
    for (const region of settings.MERIDIAN_REGIONS) {
      await rebuild(compose(localConfig(region, endpoint), { logger, credentials: localCredentials }));
    }
  } finally {
    await engine?.stop();
  }
}

async function rebuild(deps: ReturnType<typeof compose>) {
  const started = Date.now();
  const count = await rebuildTicketViews(deps);
  console.log(`${deps.config.region} ${deps.config.viewsTable}: ${count} tickets rebuilt in ${Date.now() - started} ms`);
  deps.dynamodb.destroy();
}

main().catch((error: Error) => {
  console.error(`rebuild-views: ${error.name}: ${error.message}`);
  process.exit(1);
});
