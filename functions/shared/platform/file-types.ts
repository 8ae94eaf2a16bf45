import { fileTypeFromBuffer } from 'file-type';
import { type AttachmentType, isAttachmentType, textAttachmentTypes } from '../../../domain/ticket/attachments.ts';

/** What file-type names differently from the type a client declares for the same file. */
const aliases: Record<string, AttachmentType> = {
  'audio/ogg; codecs=opus': 'audio/ogg',
  'audio/x-m4a': 'audio/mp4',
  'image/heic-sequence': 'image/heic',
};

export type TypeVerdict =
  | { ok: true; type: AttachmentType }
  | { ok: false; reason: 'type-not-allowed' | 'type-mismatch'; detected: string | null };

const mediaTypeOf = (declared: string) => declared.split(';')[0]!.trim().toLowerCase();

/**
 * The file's type as its bytes show it (its magic number), which must be an allowed type and the
 * one declared. Text has no magic number: a file declared as text must be UTF-8 without NUL bytes.
 */
export async function checkFileType(bytes: Uint8Array, declared: string): Promise<TypeVerdict> {
  const wanted = mediaTypeOf(declared);
  const found = await fileTypeFromBuffer(bytes);
  if (!found) {
    if (!(textAttachmentTypes as readonly string[]).includes(wanted)) {
      return { ok: false, reason: isAttachmentType(wanted) ? 'type-mismatch' : 'type-not-allowed', detected: null };
    }
    return isPlainText(bytes) ? { ok: true, type: wanted as AttachmentType } : { ok: false, reason: 'type-mismatch', detected: null };
  }
  const detected = aliases[found.mime] ?? found.mime;
  if (!isAttachmentType(detected)) return { ok: false, reason: 'type-not-allowed', detected };
  return detected === wanted ? { ok: true, type: detected } : { ok: false, reason: 'type-mismatch', detected };
}

/**
 * A received file's type (an email part, a provider's media): senders' headers are often generic
 * (application/octet-stream), so an allowed type the bytes show is taken, and text without a
 * magic number is plain text. Only what the bytes show decides whether it is allowed.
 */
export async function checkReceivedFileType(bytes: Uint8Array, declared: string): Promise<TypeVerdict> {
  const verdict = await checkFileType(bytes, declared);
  if (verdict.ok) return verdict;
  if (verdict.detected !== null && isAttachmentType(verdict.detected)) return { ok: true, type: verdict.detected };
  if (verdict.detected === null && isPlainText(bytes)) return { ok: true, type: 'text/plain' };
  return verdict.detected === null ? { ok: false, reason: 'type-not-allowed', detected: null } : verdict;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
