import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../platform/config.ts';
import type { DsarBundleStore } from '../ports/dsar-bundles.ts';

const bundleKey = (tenantId: string, dsarId: string) => `dsar-bundles/${encodeURIComponent(tenantId)}/${dsarId}.json`;

/** The region's bundle bucket (KMS-encrypted, private; nothing crosses regions). */
export function s3DsarBundles(s3: Pick<S3Client, 'send'>, bucket: string): DsarBundleStore {
  return {
    async put(tenantId, dsarId, sealedText) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: bundleKey(tenantId, dsarId),
          Body: sealedText,
          ContentType: 'text/plain',
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    },
    async get(tenantId, dsarId) {
      try {
        const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: bundleKey(tenantId, dsarId) }));
        return (await Body?.transformToString()) ?? null;
      } catch (error) {
        if (error instanceof NoSuchKey) return null;
        throw error;
      }
    },
  };
}

export { bundleKey };

/** The bundle bucket as the stack configures the functions that use it (BUNDLE_BUCKET). */
export function dsarBundlesFromConfig(config: Config): DsarBundleStore {
  if (!config.bundleBucket) throw new Error('BUNDLE_BUCKET must be set');
  return s3DsarBundles(new S3Client({ region: config.region }), config.bundleBucket);
}
