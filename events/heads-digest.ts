import { createPublicKey, verify } from 'node:crypto';
import { canonicalJson, sha256Hex } from './hash-chain.ts';
import { leafHash, rootOf } from './merkle.ts';
import type { TenantLogHead } from './tenant-log.ts';

/**
 * The region's tenant log heads, written out on a schedule where they cannot be changed afterwards
 * (S3 Object Lock in AWS, a folder locally), like CloudTrail's digest files: a tenant's log cut
 * short below the newest digest no longer reaches it. Each digest names its predecessor's hash and
 * is signed with the region's asymmetric key (ECDSA P-256, SHA-256).
 */
export interface HeadsDigest {
  region: string;
  /** Every tenant with a log, sorted by tenant id. */
  heads: TenantLogHead[];
  /** The region's Merkle tree head (RFC 6962) over the heads, each a leaf as its RFC 8785 text: what a proof ends at. */
  root: string;
  writtenAt: string;
  previousDigestHash: string | null;
}

/** A digest as kept: the exact text that is signed (RFC 8785), and the signature beside it. */
export interface StoredDigest {
  digest: HeadsDigest;
  text: string;
  /** DER-encoded ECDSA signature over SHA-256 of `text`; null for a digest written before digests were signed. */
  signature: Uint8Array | null;
}

/** A tenant's head as a leaf of the region's tree. */
export const headLeaf = (head: TenantLogHead): string => leafHash(Buffer.from(canonicalJson(head), 'utf8'));

export const regionRoot = (heads: readonly TenantLogHead[]): string => rootOf(heads.map(headLeaf));

/** The text a digest is stored and signed as: RFC 8785, so any JCS implementation rebuilds it. */
export const digestText = (digest: HeadsDigest): string => canonicalJson(digest);

/** What the next digest names as `previousDigestHash`: SHA-256 of the digest's canonical text. */
export const digestHash = (digest: HeadsDigest): string => sha256Hex(digestText(digest));

/** Whether a signature over `text` verifies with the PEM public key: what `openssl dgst -sha256 -verify` checks. */
export function signatureVerifies(text: string, signature: Uint8Array, publicKeyPem: string): boolean {
  try {
    return verify('sha256', Buffer.from(text, 'utf8'), { key: createPublicKey(publicKeyPem), dsaEncoding: 'der' }, signature);
  } catch {
    return false; // not even a DER signature
  }
}

export interface DigestProblem {
  /** The `writtenAt` of the digest the problem is found at. */
  digest: string;
  reason: string;
}

/**
 * Checks a region's digests, newest first: each signature against the public key, each digest's
 * `previousDigestHash` against the one before it, and that the oldest kept starts the chain. A
 * digest removed from the middle, altered, or signed with another key breaks one of these.
 * Digests from before signing (no signature) may only come before the signed ones.
 */
export function checkDigestChain(newestFirst: StoredDigest[], publicKeyPem: string): DigestProblem[] {
  const problems: DigestProblem[] = [];
  const oldestSigned = newestFirst.findLastIndex((stored) => stored.signature !== null);
  newestFirst.forEach((stored, i) => {
    const at = stored.digest.writtenAt;
    if (stored.signature === null) {
      if (i < oldestSigned) problems.push({ digest: at, reason: `the heads digest of ${at} is not signed, and digests before it are` });
    } else {
      if (stored.text !== digestText(stored.digest) || !signatureVerifies(stored.text, stored.signature, publicKeyPem))
        problems.push({ digest: at, reason: `the heads digest of ${at} does not verify with the region's public key` });
      else if (stored.digest.root !== regionRoot(stored.digest.heads))
        problems.push({ digest: at, reason: `the heads digest of ${at} names a root its heads do not give` });
    }
    const older = newestFirst[i + 1];
    const previous = stored.digest.previousDigestHash;
    if (older && previous !== digestHash(older.digest))
      problems.push({
        digest: at,
        reason: `the heads digest before the one of ${at} is missing or altered: its hash is not the one named`,
      });
    if (!older && previous !== null)
      problems.push({ digest: at, reason: `the heads digests end at the one of ${at}, which names a predecessor that is missing` });
  });
  return problems;
}
