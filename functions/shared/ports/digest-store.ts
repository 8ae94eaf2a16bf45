import { digestHash, type HeadsDigest, type StoredDigest } from '../../../events/heads-digest.ts';

/** Where heads digests are kept, write-once: S3 with Object Lock in AWS, a folder locally. */
export interface DigestStore {
  /** Writes a new digest (its text, and its signature beside it); an existing one is never replaced. */
  put(digest: StoredDigest & { signature: Uint8Array }): Promise<void>;
  latest(): Promise<StoredDigest | null>;
  /** Every digest kept, newest first. */
  all(): Promise<StoredDigest[]>;
}

/** Where there are no digests (a command line given no digest store). */
export const noDigests: DigestStore = { put: async () => {}, latest: async () => null, all: async () => [] };

/**
 * Digest names sort newest first (milliseconds counted down from the year 2286), so the newest is
 * the first a listing returns, in S3 as in a folder. The signature is kept beside it, `.sig` for
 * `.json`.
 */
export const digestName = (digest: HeadsDigest): string =>
  `${String(9_999_999_999_999 - Date.parse(digest.writtenAt)).padStart(13, '0')}-${digestHash(digest).slice(0, 16)}.json`;

export const signatureName = (digestFileName: string): string => digestFileName.replace(/\.json$/, '.sig');

/** A digest file's text as stored, its signature (or none, for one written before digests were signed). */
export const storedDigest = (text: string, signature: Uint8Array | null): StoredDigest => ({
  digest: JSON.parse(text) as HeadsDigest,
  text,
  signature,
});
