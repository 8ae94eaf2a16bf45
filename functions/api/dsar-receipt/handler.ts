import { S3Client } from '@aws-sdk/client-s3';
import { s3DigestStore } from '../../shared/aws/s3-digest-store.ts';
import { composeFromEnv } from '../../shared/platform/composition.ts';
import { dsarReceipt } from './dsar-receipt.ts';

export const handler = dsarReceipt(
  composeFromEnv((config) => ({
    digests: config.digestBucket ? s3DigestStore(new S3Client({ region: config.region }), config.digestBucket, config.region) : undefined,
  })),
);
