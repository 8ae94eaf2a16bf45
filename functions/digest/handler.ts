import { KMSClient } from '@aws-sdk/client-kms';
import { kmsDigestSigner } from '../shared/aws/kms-digest-signer.ts';
import { digestsFromConfig } from '../shared/aws/s3-digest-store.ts';
import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { writeDigest } from './digest.ts';

const deps = composeFromEnv();
const { region, digestSigningKeyId } = deps.config;
const digests = digestsFromConfig(deps.config);
if (!digests) throw new Error('DIGEST_BUCKET is not set');
if (!digestSigningKeyId) throw new Error('DIGEST_SIGNING_KEY_ID is not set');
const signer = kmsDigestSigner(new KMSClient({ region }), digestSigningKeyId);

/** Runs on the stack's schedule (EventBridge rule). */
export const handler = observed(deps, async (): Promise<void> => {
  const digest = await writeDigest({ region, tenantLog: deps.tenantLog, digests, signer, clock: deps.clock });
  deps.logger.info(digest ? 'heads digest written' : 'heads unchanged', digest ? { tenants: digest.heads.length } : {});
});
