import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { HeadDigest } from '../../../events/region-log.ts';
import { type DigestStore, digestName } from '../ports/digest-store.ts';

/**
 * Digests in the region's Object Lock bucket (the bucket's default retention locks each one in
 * compliance mode). `If-None-Match: *` keeps a name from being written twice.
 */
export function s3DigestStore(s3: S3Client, bucket: string, region: string): DigestStore {
  const prefix = `digests/${region}/`;
  return {
    async put(digest) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${prefix}${digestName(digest)}`,
          Body: JSON.stringify(digest),
          ContentType: 'application/json',
          ChecksumAlgorithm: 'SHA256',
          IfNoneMatch: '*',
        }),
      );
    },
    async latest() {
      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
      const key = Contents[0]?.Key;
      if (!key) return null;
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return JSON.parse(await Body!.transformToString()) as HeadDigest;
    },
  };
}
