/**
 * The region's master key, behind the one interface the subject directory needs: AWS KMS in the
 * stack (kms-key-vault.ts), a key file locally (infra/local/key-file-vault.ts).
 */
export interface KeyVault {
  /** A fresh AES-256 data key, and the same key wrapped by the master key for storage. */
  generateDataKey(context: KeyContext): Promise<{ plaintext: Uint8Array; wrapped: Uint8Array }>;
  /** Unwraps a stored data key; fails if `context` is not the one it was wrapped with. */
  unwrapDataKey(wrapped: Uint8Array, context: KeyContext): Promise<Uint8Array>;
  /** A keyed hash (HMAC-SHA-256, base64url) for looking a subject up by a contact handle. */
  lookupHash(message: string): Promise<string>;
}

/** Binds a wrapped key to its owner: a key copied to another tenant or subject does not unwrap. */
export interface KeyContext {
  tenantId: string;
  subjectId: string;
}

export const encryptionContext = (context: KeyContext): Record<string, string> => ({
  purpose: 'meridian-subject-key',
  tenantId: context.tenantId,
  subjectId: context.subjectId,
});
