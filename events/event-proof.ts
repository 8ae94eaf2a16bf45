import type { StoredEvent } from './envelope.ts';
import { canonicalJson, eventHash } from './hash-chain.ts';
import { digestText, type HeadsDigest, headLeaf, regionRoot, signatureVerifies } from './heads-digest.ts';
import { verifyInclusion } from './merkle.ts';
import { logEntryHash, type TenantLogEntry, type TenantLogHead } from './tenant-log.ts';

/** Where a leaf sits in a tree of `size` leaves, and the sibling hashes from it up to the head (RFC 9162). */
export interface InclusionProof {
  size: number;
  index: number;
  path: string[];
}

/**
 * Everything needed to check one event offline, with no engine and no tables: the event as
 * stored (its hash recomputed from it), the tenant log entry that names it, the entry's Merkle
 * path to its tenant's tree head, that head's path to the region's tree head, and the signed
 * digest that holds both heads.
 */
export interface EventProof {
  proof: 'meridian-event-proof';
  version: 1;
  region: string;
  event: StoredEvent;
  entry: TenantLogEntry;
  tenantTree: InclusionProof;
  head: TenantLogHead;
  regionTree: InclusionProof;
  digest: { text: string; signature: string };
}

/** What failed, one line each; empty when the proof holds. */
export function checkEventProof(proof: EventProof, publicKeyPem: string): string[] {
  const failures: string[] = [];
  const fail = (condition: boolean, what: string) => !condition && failures.push(what);
  const { event, entry, head, tenantTree, regionTree } = proof;
  let recomputed: string | null = null;
  try {
    recomputed = eventHash(event);
  } catch {
    // not an event record at all
  }
  fail(recomputed !== null && recomputed === event.hash, "the event's stored record does not give its hash");
  fail(
    entry.eventHash === event.hash &&
      entry.eventId === event.eventId &&
      entry.streamId === event.streamId &&
      entry.version === event.version,
    'the tenant log entry does not name this event',
  );
  fail(logEntryHash(entry) === entry.hash, 'the tenant log entry does not give its hash');
  fail(
    head.tenantId === entry.tenantId && tenantTree.size === head.seq && tenantTree.index === entry.seq - 1,
    "the entry's place does not match the tenant's head",
  );
  fail(
    verifyInclusion(entry.hash, tenantTree.index, tenantTree.size, tenantTree.path, head.root),
    "the entry's Merkle path does not reach its tenant's tree head",
  );
  let digest: HeadsDigest | null = null;
  try {
    digest = JSON.parse(proof.digest.text) as HeadsDigest;
  } catch {
    // reported below
  }
  if (!digest || proof.digest.text !== digestText(digest)) {
    failures.push('the digest is not a digest in its canonical text');
    return failures;
  }
  fail(
    signatureVerifies(proof.digest.text, Buffer.from(proof.digest.signature, 'base64'), publicKeyPem),
    "the digest's signature does not verify with the public key",
  );
  fail(digest.region === proof.region && digest.root === regionRoot(digest.heads), "the digest's root is not its heads' tree head");
  fail(
    regionTree.size === digest.heads.length && canonicalJson(digest.heads[regionTree.index] ?? null) === canonicalJson(head),
    "the tenant's head is not the one the digest holds",
  );
  fail(
    verifyInclusion(headLeaf(head), regionTree.index, regionTree.size, regionTree.path, digest.root),
    "the head's Merkle path does not reach the digest's root",
  );
  return failures;
}
