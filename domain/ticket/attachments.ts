/** A file on a message: what the ticket records of it (the bytes live in the attachment store). */
export interface Attachment {
  id: string;
  /** As the uploader named it; personal data (sealed with the ticket's key), null once erased. */
  filename: string | null;
  contentType: AttachmentType;
  size: number;
  /** Of the plain bytes, hex: what an export or an auditor can check a file against. */
  sha256: string;
}

const MiB = 1024 * 1024;

/**
 * The limits the API document states. A direct upload carries its bytes in the request, which
 * Lambda's 6 MB payload limit bounds (base64 included); a larger file goes through an upload URL.
 */
export const attachmentLimits = {
  bytesPerFile: 25 * MiB,
  bytesPerDirectUpload: 4 * MiB,
  filesPerMessage: 10,
  bytesPerMessage: 50 * MiB,
  filenameLength: 255,
  /** How long an upload's token may be attached, from the upload. */
  tokenSeconds: 3600,
} as const;

/**
 * The types a file may have, each checked against its first bytes (its magic number); text has
 * none, so text must be UTF-8 without NUL bytes. Office formats are the OOXML zip containers.
 */
export const attachmentTypes = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
  'application/pdf',
  'audio/ogg',
  'audio/mpeg',
  'audio/mp4',
  'video/mp4',
  'video/quicktime',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'text/plain',
  'text/csv',
] as const;
export type AttachmentType = (typeof attachmentTypes)[number];

export const textAttachmentTypes: readonly AttachmentType[] = ['text/plain', 'text/csv'];

export const isAttachmentType = (value: string): value is AttachmentType => (attachmentTypes as readonly string[]).includes(value);
