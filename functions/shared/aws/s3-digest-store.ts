import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../platform/config.ts';
import { type DigestStore, digestName, signatureName, storedDigest } from '../ports/digest-store.ts';

/**
 * Digests in the region's Object Lock bucket (the bucket's default retention locks each one in
 * compliance mode): `<name>.json`, the signed text, and `<name>.sig`, the DER signature, as
 * CloudTrail keeps a digest and names its signature. `If-None-Match: *` keeps a name from being
 * written twice.
 */
export function s3DigestStore(s3: S3Client, bucket: string, region: string): DigestStore {
  const prefix = `digests/${region}/`;
  const read = async (key: string) => {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Body!.transformToByteArray();
  };
  const readSignature = async (key: string) => {
    try {
      return await read(signatureName(key));
    } catch (error) {
      if (error instanceof NoSuchKey) return null; // written before digests were signed
      throw error;
    }
  };
  const load = async (key: string) => storedDigest(Buffer.from(await read(key)).toString('utf8'), await readSignature(key));
  const put = (name: string, Body: string | Uint8Array, ContentType: string) =>
    s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}`, Body, ContentType, ChecksumAlgorithm: 'SHA256', IfNoneMatch: '*' }),
    );
  const digestKeys = async function* () {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const { Key } of page.Contents ?? []) if (Key?.endsWith('.json')) yield Key;
      token = page.NextContinuationToken;
    } while (token);
  };
  return {
    async put({ digest, text, signature }) {
      const name = digestName(digest);
      // The signature first: a digest is never seen without the signature that covers it.
      await put(signatureName(name), signature, 'application/octet-stream');
      await put(name, text, 'application/json');
    },
    async latest() {
      // The newest digest's text and signature sort first; two keys reach it.
      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 2 }));
      const key = Contents.map((object) => object.Key).find((name) => name?.endsWith('.json'));
      return key ? load(key) : null;
    },
    async all() {
      const digests = [];
      for await (const key of digestKeys()) digests.push(await load(key));
      return digests;
    },
  };
}

/** The digest bucket as the stack configures the functions that use it (DIGEST_BUCKET); none where it is not set. */
export const digestsFromConfig = (config: Config): DigestStore | undefined =>
  config.digestBucket ? s3DigestStore(new S3Client({ region: config.region }), config.digestBucket, config.region) : undefined;
