import { S3Client } from '@aws-sdk/client-s3';
import { s3DigestStore } from '../shared/aws/s3-digest-store.ts';
import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { writeDigest } from './digest.ts';

const deps = composeFromEnv();
const { region, digestBucket } = deps.config;
if (!digestBucket) throw new Error('DIGEST_BUCKET is not set');
const digests = s3DigestStore(new S3Client({ region }), digestBucket, region);

/** Runs on the stack's schedule (EventBridge rule). */
export const handler = observed(deps, async (): Promise<void> => {
  const digest = await writeDigest({ region, regionLog: deps.regionLog, digests, clock: deps.clock });
  deps.logger.info(digest ? 'head digest written' : 'head unchanged', digest ? { seq: digest.seq } : {});
});
