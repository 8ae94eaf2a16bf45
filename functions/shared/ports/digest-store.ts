import type { HeadDigest } from '../../../events/region-log.ts';

/** Where head digests are kept, write-once: S3 with Object Lock in AWS, a folder locally. */
export interface DigestStore {
  /** Writes a new digest; an existing one is never replaced. */
  put(digest: HeadDigest): Promise<void>;
  latest(): Promise<HeadDigest | null>;
}

/**
 * Digest names sort newest first (milliseconds counted down from the year 2286), so the newest is
 * the first a listing returns, in S3 as in a folder.
 */
export const digestName = (digest: HeadDigest): string =>
  `${String(9_999_999_999_999 - Date.parse(digest.writtenAt)).padStart(13, '0')}-${digest.seq}.json`;
