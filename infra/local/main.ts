import './local-process.ts';
import { announceEngine, withdrawEngine } from './engine-file.ts';
import { loadJwtSecret } from './jwt.ts';
import { startLocalRuntime } from './runtime.ts';
import { localSettings } from './settings.ts';

async function main() {
  const settings = localSettings(process.env);
  const runtime = await startLocalRuntime({
    regions: settings.MERIDIAN_REGIONS,
    port: settings.PORT,
    host: settings.HOST,
    dataDir: settings.MERIDIAN_DATA_DIR,
    dynamodbEndpoint: settings.DYNAMODB_ENDPOINT,
    jwtSecret: loadJwtSecret(process.env, settings.MERIDIAN_DATA_DIR),
    tenantResidency: settings.MERIDIAN_TENANT_RESIDENCY,
    rateLimits: settings.MERIDIAN_RATE_LIMITS,
    digestIntervalMs: settings.MERIDIAN_DIGEST_INTERVAL * 1000,
  });
  for (const { region, url } of runtime.endpoints) console.log(`${region} ${url}`);
  if (!settings.DYNAMODB_ENDPOINT) announceEngine(settings.MERIDIAN_DATA_DIR, runtime.dynamodbEndpoint);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: stopping`);
    withdrawEngine(settings.MERIDIAN_DATA_DIR);
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: Error) => {
  console.error(`meridian: ${error.message}`);
  process.exit(1);
});
