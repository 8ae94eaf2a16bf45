import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { KMSClient } from '@aws-sdk/client-kms';
import { MeridianError } from '../../domain/meridian-error.ts';
import { kmsDigestSigner } from '../../functions/shared/aws/kms-digest-signer.ts';
import { digestsFromConfig } from '../../functions/shared/aws/s3-digest-store.ts';
import { compose } from '../../functions/shared/platform/composition.ts';
import { configFromEnv, envNames } from '../../functions/shared/platform/config.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import type { DigestSigner } from '../../functions/shared/ports/digest-signer.ts';
import type { DigestStore } from '../../functions/shared/ports/digest-store.ts';
import { fileDigestSigner, localSigningKeyPath } from '../local/digest-signing-key.ts';
import { type Engine, localCredentials, startEngine } from '../local/engine.ts';
import { runningEngine } from '../local/engine-file.ts';
import { fileDigestStore, localDigestDir } from '../local/file-digest-store.ts';
import { localConfig, localKeyVault } from '../local/runtime.ts';
import { localSettings } from '../local/settings.ts';

export interface OpenRegion {
  deps: Deps;
  digests: DigestStore | null;
  /** The region's digest signing key: its public key checks the digests. */
  signer: DigestSigner | null;
}

export interface OpenRegions {
  regions: OpenRegion[];
  close(): Promise<void>;
}

/**
 * The regions a command-line tool works on. With EVENTS_TABLE (and the other table variables)
 * set: that one region's tables, in AWS or at DYNAMODB_ENDPOINT, digests from DIGEST_BUCKET (or
 * a folder of digest files, DIGEST_DIR), their signing key DIGEST_SIGNING_KEY_ID (KMS) or
 * DIGEST_SIGNING_KEY_FILE (a PEM private key file).
 * Otherwise every local region of MERIDIAN_REGIONS under MERIDIAN_DATA_DIR: through the engine
 * `npm start` runs, DYNAMODB_ENDPOINT's, or one started here on the data folder.
 */
export async function openRegions(env: NodeJS.ProcessEnv, only?: string): Promise<OpenRegions> {
  const logger = new Logger({ logLevel: 'WARN' });
  if (env[envNames.eventsTable]) {
    const config = configFromEnv(env);
    const deps = compose(config, { logger, credentials: config.dynamodbEndpoint ? localCredentials : undefined });
    const digests = digestsFromConfig(config) ?? (env.DIGEST_DIR ? fileDigestStore(env.DIGEST_DIR) : null);
    const signer = config.digestSigningKeyId
      ? kmsDigestSigner(new KMSClient({ region: config.region }), config.digestSigningKeyId)
      : env.DIGEST_SIGNING_KEY_FILE
        ? fileDigestSigner(env.DIGEST_SIGNING_KEY_FILE)
        : null;
    return { regions: [{ deps, digests, signer }], close: async () => deps.dynamodb.destroy() };
  }
  const settings = localSettings(env);
  const wanted = settings.MERIDIAN_REGIONS.filter((region) => only === undefined || region === only);
  if (wanted.length === 0)
    throw new UsageError(`--region ${only} is not one of MERIDIAN_REGIONS (${settings.MERIDIAN_REGIONS.join(', ')})`);
  let engine: Engine | undefined;
  const endpoint =
    settings.DYNAMODB_ENDPOINT ??
    runningEngine(settings.MERIDIAN_DATA_DIR) ??
    (engine = await startEngine({ dataDir: join(settings.MERIDIAN_DATA_DIR, 'dynamodb') })).endpoint;
  const regions = wanted.map((region) => ({
    deps: compose(localConfig(region, endpoint), {
      logger,
      credentials: localCredentials,
      keyVault: localKeyVault(settings.MERIDIAN_DATA_DIR, region),
    }),
    digests: fileDigestStore(localDigestDir(settings.MERIDIAN_DATA_DIR, region)),
    signer: fileDigestSigner(localSigningKeyPath(settings.MERIDIAN_DATA_DIR, region)),
  }));
  return {
    regions,
    async close() {
      for (const { deps } of regions) deps.dynamodb.destroy();
      await engine?.stop();
    },
  };
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends MeridianError {}
