import { timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { attachmentKeys, uploadUrlSeconds } from '../../functions/shared/aws/s3-attachment-files.ts';
import { openBytes, sealBytes } from '../../functions/shared/platform/sealing.ts';
import type { AttachmentFiles } from '../../functions/shared/ports/attachments.ts';
import type { KeyVault } from '../../functions/shared/ports/key-vault.ts';

/** The local stand-in for a presigned S3 PUT: the gateway hands it requests under this path. */
export const localUploadPath = '/_uploads/';

export interface LocalAttachmentFiles extends AttachmentFiles {
  /** A PUT to an upload URL: stored if its signature holds and it has not expired. */
  receiveUpload(url: URL, contentType: string | undefined, bytes: Buffer): Promise<{ status: number; message: string }>;
}

/**
 * Locally, the attachment bucket is a folder: `<dataDir>/<region>/attachments/{files,uploads}/<tenant>/<id>`.
 * As S3 does with KMS, each file is encrypted under a data key of its own, stored wrapped by the
 * region's key file beside it (envelope encryption): no plain byte of a file is on disk.
 */
export function fileAttachmentFiles(dir: string, vault: KeyVault, baseUrl: () => string): LocalAttachmentFiles {
  const root = join(dir, 'attachments');
  const pathOf = (key: string) => join(root, key);
  // The key's context names the object: a file copied to another name does not decrypt.
  const contextOf = (key: string) => ({ tenantId: 'local-bucket', subjectId: key });

  const write = async (key: string, bytes: Uint8Array) => {
    const { plaintext, wrapped } = await vault.generateDataKey(contextOf(key));
    const length = Buffer.alloc(2);
    length.writeUInt16BE(wrapped.byteLength);
    await mkdir(dirname(pathOf(key)), { recursive: true });
    await writeFile(pathOf(key), Buffer.concat([length, wrapped, sealBytes(bytes, plaintext, 'local-bucket', key)]), { mode: 0o600 });
  };
  const read = async (key: string) => {
    const stored = await readFile(pathOf(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (!stored) return null;
    const wrappedLength = stored.readUInt16BE(0);
    const dataKey = await vault.unwrapDataKey(stored.subarray(2, 2 + wrappedLength), contextOf(key));
    return openBytes(stored.subarray(2 + wrappedLength), dataKey, 'local-bucket', key);
  };
  const signature = (key: string, expires: number, contentType: string) =>
    vault.lookupHash(`upload-url\n${key}\n${expires}\n${contentType}`);

  return {
    put: (tenantId, attachmentId, bytes) => write(attachmentKeys.file(tenantId, attachmentId), bytes),
    get: (tenantId, attachmentId) => read(attachmentKeys.file(tenantId, attachmentId)),
    async deliver(tenantId, attachmentId) {
      const bytes = await read(attachmentKeys.file(tenantId, attachmentId));
      return bytes && { bytes };
    },
    async keep() {},
    async delete(tenantId, attachmentId) {
      await rm(pathOf(attachmentKeys.file(tenantId, attachmentId)), { force: true });
      await rm(pathOf(attachmentKeys.upload(tenantId, attachmentId)), { force: true });
    },
    async uploadUrl(tenantId, attachmentId, contentType) {
      const key = attachmentKeys.upload(tenantId, attachmentId);
      const expires = Math.floor(Date.now() / 1000) + uploadUrlSeconds;
      const url = new URL(`${localUploadPath}${key}`, baseUrl());
      url.searchParams.set('expires', String(expires));
      url.searchParams.set('signature', await signature(key, expires, contentType));
      return { url: url.toString(), headers: { 'content-type': contentType } };
    },
    async takeUpload(tenantId, attachmentId) {
      const key = attachmentKeys.upload(tenantId, attachmentId);
      const bytes = await read(key);
      if (bytes) await rm(pathOf(key), { force: true });
      return bytes;
    },
    async receiveUpload(url, contentType, bytes) {
      const key = decodeURIComponent(url.pathname.slice(localUploadPath.length));
      const expires = Number(url.searchParams.get('expires'));
      const given = Buffer.from(url.searchParams.get('signature') ?? '');
      const wanted = Buffer.from(await signature(key, expires, contentType ?? ''));
      if (!key.startsWith('uploads/') || key.includes('..') || given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
        return { status: 403, message: 'SignatureDoesNotMatch' };
      }
      if (!(expires > Date.now() / 1000)) return { status: 403, message: 'Request has expired' };
      await write(key, bytes);
      return { status: 200, message: 'stored' };
    },
  };
}
