import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Attachment, type AttachmentType, attachmentLimits } from '../../../domain/ticket/attachments.ts';
import type { AddMessage } from '../../../domain/ticket/commands.ts';
import type { StoredEvent } from '../../../events/envelope.ts';
import { upcast } from '../../../events/upcasters.ts';
import { checkFileType, checkReceivedFileType } from '../platform/file-types.ts';
import { seal } from '../platform/sealing.ts';
import type { UploadRecord } from '../ports/attachments.ts';
import type { Deps } from '../ports/deps.ts';
import { AttachmentErased, AttachmentNotFound, FileRefused, TokenRefused } from './attachment-errors.ts';
import { isReplay } from './commands.ts';
import { openSealed } from './personal-data.ts';
import { checkedTicket, loadTicket } from './ticket-commands.ts';

export interface Uploader {
  tenantId: string;
  uploadedBy: string;
}

export interface UploadReceipt {
  token: string;
  filename: string;
  contentType: AttachmentType;
  size: number;
  sha256: string;
  expiresAt: string;
}

const tokenPattern = /^upl_([0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{43})$/;
const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');
const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const fileKey = (tenantId: string, attachmentId: string) => ({ tenantId, subjectId: attachmentId });

/** Size and type, checked against the bytes before anything is stored (by `verdictOf`: an upload's declared type must be the bytes'). */
async function checkFile(bytes: Uint8Array, declared: string, maxBytes: number, verdictOf = checkFileType): Promise<AttachmentType> {
  if (bytes.byteLength === 0) throw new FileRefused('empty', 'The file is empty');
  if (bytes.byteLength > maxBytes) {
    throw new FileRefused('too-large', `The file is ${bytes.byteLength} bytes; at most ${maxBytes} are accepted here`);
  }
  const verdict = await verdictOf(bytes, declared);
  if (verdict.ok) return verdict.type;
  const found = verdict.detected ?? 'no known type';
  throw new FileRefused(
    verdict.reason,
    verdict.reason === 'type-not-allowed'
      ? `The bytes are ${found}, which is not an allowed attachment type`
      : `The bytes are ${found}, not the ${declared} declared`,
    verdict.detected,
  );
}

interface NewFile {
  filename: string;
  contentType: AttachmentType;
  size: number;
  /** The checked bytes; absent while a client is still to PUT them to an upload URL. */
  bytes?: Uint8Array;
}

/**
 * A new upload: an id, a token (only its secret's hash is kept), a data key of its own for the
 * file's name, the bytes stored if they are here, and the record that expires unless claimed.
 */
async function recordUpload(deps: Deps, { tenantId, uploadedBy }: Uploader, file: NewFile) {
  const attachmentId = deps.newId();
  const secret = randomBytes(32).toString('base64url');
  await deps.subjectKeys.create(fileKey(tenantId, attachmentId));
  const key = await deps.subjectKeys.dataKey(fileKey(tenantId, attachmentId));
  const expiresAt = new Date(deps.clock().getTime() + attachmentLimits.tokenSeconds * 1000).toISOString();
  const sha256 = file.bytes ? sha256Of(file.bytes) : null;
  if (file.bytes) await deps.attachments.files.put(tenantId, attachmentId, file.bytes);
  await deps.attachments.uploads.create({
    tenantId,
    attachmentId,
    secretHash: hashOf(secret),
    filename: seal(file.filename, key, tenantId, attachmentId),
    contentType: file.contentType,
    size: file.size,
    sha256,
    uploadedBy,
    expiresAt,
    ticketId: null,
  });
  return { attachmentId, token: `upl_${attachmentId}_${secret}`, expiresAt, sha256 };
}

/** A file sent in the request: checked, stored, recorded; its token returned. */
export async function acceptUpload(
  deps: Deps,
  uploader: Uploader,
  file: { filename: string; declaredType: string; bytes: Uint8Array },
): Promise<UploadReceipt> {
  const contentType = await checkFile(file.bytes, file.declaredType, attachmentLimits.bytesPerDirectUpload);
  const size = file.bytes.byteLength;
  const upload = await recordUpload(deps, uploader, { filename: file.filename, contentType, size, bytes: file.bytes });
  return { token: upload.token, filename: file.filename, contentType, size, sha256: upload.sha256!, expiresAt: upload.expiresAt };
}

/**
 * A file that came with an inbound message: checked like an upload (up to the upload URL's size),
 * stored, and recorded unclaimed; keepReceived claims it once the message is written.
 */
export async function storeReceivedFile(
  deps: Deps,
  tenantId: string,
  file: { filename: string; declaredType: string; bytes: Uint8Array },
): Promise<Attachment> {
  const contentType = await checkFile(file.bytes, file.declaredType, attachmentLimits.bytesPerFile, checkReceivedFileType);
  const size = file.bytes.byteLength;
  const upload = await recordUpload(
    deps,
    { tenantId, uploadedBy: 'intake' },
    { filename: file.filename, contentType, size, bytes: file.bytes },
  );
  return { id: upload.attachmentId, filename: file.filename, contentType, size, sha256: upload.sha256! };
}

/** Claims the upload for the ticket and keeps its file; false if another ticket has it. */
async function claimFile(deps: Deps, tenantId: string, ticketId: string, attachmentId: string): Promise<boolean> {
  if ((await deps.attachments.uploads.claim(tenantId, attachmentId, ticketId)) === 'taken') return false;
  await deps.attachments.files.keep(tenantId, attachmentId);
  return true;
}

/** The received files, now on the ticket's message: claimed and kept (a redelivery's copies are left to expire). */
export async function keepReceived(deps: Deps, tenantId: string, ticketId: string, attachments: readonly Attachment[]) {
  for (const { id } of attachments) await claimFile(deps, tenantId, ticketId, id);
}

/** A large file: the client PUTs its bytes to the URL; they are checked and stored when attached. */
export async function offerUploadUrl(
  deps: Deps,
  uploader: Uploader,
  file: { filename: string; contentType: AttachmentType; size: number },
): Promise<{ token: string; uploadUrl: string; uploadHeaders: Record<string, string>; expiresAt: string }> {
  const upload = await recordUpload(deps, uploader, file);
  const target = await deps.attachments.files.uploadUrl(uploader.tenantId, upload.attachmentId, file.contentType);
  return { token: upload.token, uploadUrl: target.url, uploadHeaders: target.headers, expiresAt: upload.expiresAt };
}

/** The record a token stands for, if the token is this tenant's, unexpired and not another ticket's. */
async function recordOf(deps: Deps, tenantId: string, ticketId: string, token: string, index: number): Promise<UploadRecord> {
  const [, attachmentId, secret] = tokenPattern.exec(token) ?? [];
  const record = attachmentId ? await deps.attachments.uploads.get(tenantId, attachmentId) : null;
  const given = Buffer.from(hashOf(secret ?? ''), 'hex');
  if (!record || !timingSafeEqual(given, Buffer.from(record.secretHash, 'hex'))) {
    throw new TokenRefused(index, 'No such upload token for this tenant');
  }
  if (record.ticketId !== null && record.ticketId !== ticketId) throw new TokenRefused(index, 'The upload is attached already');
  if (record.ticketId === null && Date.parse(record.expiresAt) <= deps.clock().getTime()) {
    throw new TokenRefused(index, 'The upload token expired (a token attaches within an hour of the upload)');
  }
  return record;
}

/** An upload URL's bytes, taken from where the client put them: checked like a direct upload, then stored. */
async function settleUploaded(deps: Deps, record: UploadRecord, index: number): Promise<UploadRecord> {
  if (record.sha256 !== null) return record;
  const { tenantId, attachmentId } = record;
  const bytes = await deps.attachments.files.takeUpload(tenantId, attachmentId);
  if (!bytes) throw new TokenRefused(index, "The upload URL's file has not arrived yet");
  try {
    if (bytes.byteLength !== record.size) {
      throw new FileRefused('too-large', `The file is ${bytes.byteLength} bytes, not the ${record.size} announced`);
    }
    await checkFile(bytes, record.contentType, attachmentLimits.bytesPerFile);
  } catch (error) {
    if (error instanceof FileRefused) throw new TokenRefused(index, `The uploaded file is refused: ${error.message}`);
    throw error;
  }
  const sha256 = sha256Of(bytes);
  await deps.attachments.files.put(tenantId, attachmentId, bytes);
  await deps.attachments.uploads.stored(tenantId, attachmentId, { size: bytes.byteLength, sha256 });
  return { ...record, sha256, size: bytes.byteLength };
}

export interface Claim {
  tenantId: string;
  ticketId: string;
  tokens: readonly string[];
  /** The message the files go on, which the ticket must take; none for a ticket being opened (its caller checked the opening). */
  message?: AddMessage;
  /** The write's Idempotency-Key: a replay claims nothing (the first answer is given again). */
  idempotency?: { key: string; requestHash: string };
}

/**
 * The uploads behind the tokens, claimed for the ticket, as the message records them, once the
 * ticket would take the message (a refused message claims nothing). Once: an upload on another
 * ticket, or on a message of this one, is refused. Every token is checked before any is claimed;
 * a message whose write failed after its claims may be sent again.
 */
export async function claimUploads(deps: Deps, { tenantId, ticketId, tokens, message, idempotency }: Claim): Promise<Attachment[]> {
  if (tokens.length === 0 || (await isReplay(deps, tenantId, idempotency))) return [];
  const events = message ? (await checkedTicket(deps, ticketId, tenantId, [message])).events : [];
  const attached = new Set(attachmentsOf(events).map((attachment) => attachment.id));
  const records: UploadRecord[] = [];
  for (const [index, token] of tokens.entries()) {
    if (tokens.indexOf(token) !== index) throw new TokenRefused(index, 'The same upload token twice');
    const record = await recordOf(deps, tenantId, ticketId, token, index);
    if (attached.has(record.attachmentId)) throw new TokenRefused(index, 'The upload is attached already');
    records.push(await settleUploaded(deps, record, index));
  }
  const total = records.reduce((sum, record) => sum + record.size, 0);
  if (total > attachmentLimits.bytesPerMessage) {
    throw new TokenRefused(
      tokens.length - 1,
      `The files come to ${total} bytes; a message takes at most ${attachmentLimits.bytesPerMessage}`,
    );
  }
  const attachments: Attachment[] = [];
  for (const [index, record] of records.entries()) {
    if (!(await claimFile(deps, tenantId, ticketId, record.attachmentId))) throw new TokenRefused(index, 'The upload is attached already');
    attachments.push({
      id: record.attachmentId,
      filename: await openSealed(deps.subjectKeys, tenantId, record.filename),
      contentType: record.contentType,
      size: record.size,
      sha256: record.sha256!,
    });
  }
  return attachments;
}

/** The files a ticket is opened with, on a message of the requester's without text (the description holds the text). */
export const openingFiles = (messageId: string, requesterId: string, attachments: Attachment[]): AddMessage[] =>
  attachments.length === 0
    ? []
    : [{ type: 'AddMessage', messageId, from: 'requester', authorId: requesterId, body: '', public: true, language: null, attachments }];

/** Every file on the ticket's messages, from its events. */
export const attachmentsOf = (events: readonly StoredEvent[]): Attachment[] =>
  events.flatMap((event) => {
    const current = upcast(event);
    return current.type === 'MessageAdded' ? current.data.attachments : [];
  });

/**
 * A file as a reader gets it: 404 for another tenant's or an unattached one, 410 once erased. The
 * ticket is read as stored: only the file's name is opened, not every message of the ticket.
 */
export async function readAttachment(deps: Deps, tenantId: string, attachmentId: string) {
  const record = await deps.attachments.uploads.get(tenantId, attachmentId);
  if (!record?.ticketId) throw new AttachmentNotFound(`No attachment ${attachmentId}`);
  const { ticket, events } = await loadTicket(deps, record.ticketId, tenantId, { open: false });
  const attachment = attachmentsOf(events).find((candidate) => candidate.id === attachmentId);
  if (!attachment) throw new AttachmentNotFound(`No attachment ${attachmentId}`);
  if (ticket.erasedAt !== null) throw new AttachmentErased(`The attachment was erased with its ticket at ${ticket.erasedAt}`);
  const delivery = await deps.attachments.files.deliver(tenantId, attachmentId, attachment.contentType);
  if (!delivery) throw new AttachmentErased('The attachment was erased');
  const filename = attachment.filename === null ? null : await openSealed(deps.subjectKeys, tenantId, attachment.filename);
  return { ...attachment, filename, ticketId: ticket.id, delivery };
}

/** A file's plain bytes for a DSAR export, null once erased. */
export const attachmentBytes = (deps: Deps, tenantId: string, attachmentId: string) => deps.attachments.files.get(tenantId, attachmentId);

/** Removes each file (every version) and shreds its name's key: part of erasing its ticket. */
export async function eraseAttachments(deps: Deps, tenantId: string, attachments: readonly Attachment[]) {
  for (const { id } of attachments) {
    await deps.subjectKeys.destroy(fileKey(tenantId, id));
    await deps.attachments.files.delete(tenantId, id);
  }
}
