import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A personal value as stored: `pii:1:<subjectId>:<base64url(iv | ciphertext | tag)>`, AES-256-GCM
 * under the subject's data key, authenticated with the tenant and subject so a value copied to
 * another ticket's tenant or subject does not open.
 */
const prefix = 'pii:1:';
const sealedPattern = /^pii:1:([0-9A-HJKMNP-TV-Z]{26}):([A-Za-z0-9_-]{38,})$/;

export const isSealed = (value: unknown): value is string => typeof value === 'string' && sealedPattern.test(value);

/** The subject whose key opens a sealed value. */
export const sealedSubject = (value: string): string | undefined => sealedPattern.exec(value)?.[1];

const aad = (tenantId: string, subjectId: string) => Buffer.from(`${tenantId}\n${subjectId}`, 'utf8');

export function seal(plaintext: string, key: Uint8Array, tenantId: string, subjectId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(tenantId, subjectId));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${prefix}${subjectId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

export function open(sealed: string, key: Uint8Array, tenantId: string): string {
  const [, subjectId, payload] = sealedPattern.exec(sealed) ?? [];
  if (!subjectId || !payload) throw new Error('not a sealed value');
  const bytes = Buffer.from(payload, 'base64url');
  // Base64 leaves spare bits in the last character: a value whose text was altered there would
  // still decrypt, so only the one encoding seal() writes is accepted.
  if (bytes.toString('base64url') !== payload) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12)).setAAD(aad(tenantId, subjectId));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
}

/** A sealed file: `MRF1` | iv | ciphertext | tag, AES-256-GCM under the file's own data key. */
const fileMagic = Buffer.from('MRF1', 'latin1');

export function sealBytes(plaintext: Uint8Array, key: Uint8Array, tenantId: string, fileId: string): Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(tenantId, fileId));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([fileMagic, iv, body, cipher.getAuthTag()]);
}

export function openBytes(sealed: Uint8Array, key: Uint8Array, tenantId: string, fileId: string): Uint8Array {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (bytes.byteLength < 32 || !bytes.subarray(0, 4).equals(fileMagic)) throw new Error('not a sealed file');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(4, 16)).setAAD(aad(tenantId, fileId));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(16, bytes.length - 16)), decipher.final()]);
}
