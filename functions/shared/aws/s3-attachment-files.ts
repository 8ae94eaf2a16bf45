import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  NoSuchKey,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../platform/config.ts';
import type { AttachmentFiles } from '../ports/attachments.ts';

/** Files (`files/`, tagged kept=false until attached) and clients' own uploads (`uploads/`); SSE-KMS, both. */
export const attachmentKeys = {
  file: (tenantId: string, attachmentId: string) => `files/${encodeURIComponent(tenantId)}/${attachmentId}`,
  upload: (tenantId: string, attachmentId: string) => `uploads/${encodeURIComponent(tenantId)}/${attachmentId}`,
};

/** How long an upload URL may be used. */
export const uploadUrlSeconds = 900;
/** How long a download URL (the redirect of GET /v1/attachments/{id}) may be used. */
export const downloadUrlSeconds = 300;

type S3 = Pick<S3Client, 'send'>;
type Presign = (s3: S3Client, command: PutObjectCommand | GetObjectCommand, options: { expiresIn: number }) => Promise<string>;

/**
 * The region's attachment bucket (KMS-encrypted, versioned off, private). A lifecycle rule removes
 * files still tagged kept=false after two days and uploads after one: what was never attached.
 */
export function s3AttachmentFiles(s3: S3, bucket: string, presign: Presign = getSignedUrl as Presign): AttachmentFiles {
  const read = async (key: string) => {
    try {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Body ? await Body.transformToByteArray() : null;
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
  };
  // Every version, should versioning ever be turned on: an erased file leaves nothing behind.
  const deleteAll = async (key: string) => {
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
    const versions = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].filter((version) => version.Key === key);
    if (versions.length === 0) return;
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: versions.map(({ Key, VersionId }) => ({ Key, VersionId })), Quiet: true },
      }),
    );
  };
  return {
    async put(tenantId, attachmentId, bytes) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: attachmentKeys.file(tenantId, attachmentId),
          Body: bytes,
          ContentType: 'application/octet-stream',
          ChecksumAlgorithm: 'SHA256',
          Tagging: 'kept=false',
        }),
      );
    },
    get: (tenantId, attachmentId) => read(attachmentKeys.file(tenantId, attachmentId)),
    async deliver(tenantId, attachmentId, contentType) {
      // No filename in the URL: S3's access log would keep it (it is personal data).
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: attachmentKeys.file(tenantId, attachmentId),
        ResponseContentType: contentType,
        ResponseContentDisposition: 'attachment',
      });
      return { url: await presign(s3 as S3Client, command, { expiresIn: downloadUrlSeconds }) };
    },
    async keep(tenantId, attachmentId) {
      await s3.send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key: attachmentKeys.file(tenantId, attachmentId),
          Tagging: { TagSet: [{ Key: 'kept', Value: 'true' }] },
        }),
      );
    },
    async delete(tenantId, attachmentId) {
      await deleteAll(attachmentKeys.file(tenantId, attachmentId));
      await deleteAll(attachmentKeys.upload(tenantId, attachmentId));
    },
    async uploadUrl(tenantId, attachmentId, contentType) {
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: attachmentKeys.upload(tenantId, attachmentId),
        ContentType: contentType,
      });
      const url = await presign(s3 as S3Client, command, { expiresIn: uploadUrlSeconds });
      return { url, headers: { 'content-type': contentType } };
    },
    async takeUpload(tenantId, attachmentId) {
      const key = attachmentKeys.upload(tenantId, attachmentId);
      const bytes = await read(key);
      if (bytes) await deleteAll(key);
      return bytes;
    },
  };
}

/** The attachment bucket as the stack configures the functions that use it (ATTACHMENT_BUCKET). */
export function attachmentFilesFromConfig(config: Config): AttachmentFiles {
  if (!config.attachmentBucket) throw new Error('ATTACHMENT_BUCKET must be set');
  return s3AttachmentFiles(new S3Client({ region: config.region }), config.attachmentBucket);
}
