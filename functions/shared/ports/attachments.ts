import type { AttachmentType } from '../../../domain/ticket/attachments.ts';

/** How a reader gets a file: its bytes, or a short-lived URL to fetch them from (a redirect). */
export type FileDelivery = { bytes: Uint8Array } | { url: string };

/**
 * The region's attachment files: S3 with KMS in AWS, the data folder locally, each encrypting
 * every file at rest under a data key of its own, so no plain byte of a file is ever on disk.
 */
export interface AttachmentFiles {
  put(tenantId: string, attachmentId: string, bytes: Uint8Array): Promise<void>;
  /** The plain bytes (a DSAR export's copy), null if there is no such file. */
  get(tenantId: string, attachmentId: string): Promise<Uint8Array | null>;
  /** The file for a reader (null if there is none): S3 gives a presigned URL, locally the bytes. */
  deliver(tenantId: string, attachmentId: string, contentType: string): Promise<FileDelivery | null>;
  /** Attached to a message: kept until erased (an upload never attached is removed after a day or two). */
  keep(tenantId: string, attachmentId: string): Promise<void>;
  /** Every stored version of the file and of a client's upload of it. */
  delete(tenantId: string, attachmentId: string): Promise<void>;
  /** Where a client PUTs a large file's bytes itself (a presigned URL), with the headers it must send. */
  uploadUrl(tenantId: string, attachmentId: string, contentType: AttachmentType): Promise<{ url: string; headers: Record<string, string> }>;
  /** What the client PUT at its upload URL (null if nothing yet), read once: the upload is removed. */
  takeUpload(tenantId: string, attachmentId: string): Promise<Uint8Array | null>;
}

/** An upload as its token stands for it: no plain filename (sealed with the file's key), no bytes. */
export interface UploadRecord {
  tenantId: string;
  attachmentId: string;
  /** SHA-256 of the token's secret, hex: the token itself is never stored. */
  secretHash: string;
  filename: string;
  contentType: AttachmentType;
  size: number;
  /** Null until the bytes are there (an upload URL's file is checked when it is attached). */
  sha256: string | null;
  uploadedBy: string;
  expiresAt: string;
  ticketId: string | null;
}

export type ClaimOutcome = 'claimed' | 'taken';

export interface UploadRecords {
  create(record: UploadRecord): Promise<void>;
  get(tenantId: string, attachmentId: string): Promise<UploadRecord | null>;
  /** The bytes of an upload URL's file arrived and were checked. */
  stored(tenantId: string, attachmentId: string, facts: { size: number; sha256: string }): Promise<void>;
  /** Attaches to the ticket, once: 'taken' if another ticket has it. The record then stays (no expiry). */
  claim(tenantId: string, attachmentId: string, ticketId: string): Promise<ClaimOutcome>;
}
