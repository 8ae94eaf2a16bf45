import { canonicalJson, jsonStringTextFor, sha256Hex } from './hash-chain.ts';

/**
 * A tenant's order of commits, one entry per stored event, itself a hash chain: entry `seq` names
 * the event it covers by stream, version and hash, and links to the tenant's entry `seq - 1`.
 * Walking it replays the tenant in the order its events were written, and an event or a whole
 * stream that is deleted leaves an entry pointing at nothing. Each tenant has its own log, so a
 * region's audit throughput grows with its tenants. Holds ids and hashes only, never personal data.
 */
export interface TenantLogEntry {
  seq: number;
  streamId: string;
  version: number;
  eventId: string;
  tenantId: string;
  recordedAt: string;
  eventHash: string;
  prevHash: string;
  hash: string;
}

export type UnhashedLogEntry = Omit<TenantLogEntry, 'hash'>;

/**
 * The entry's hash is its Merkle leaf hash (RFC 6962): SHA-256 over a 0x00 byte and the RFC 8785
 * form of the entry without its own hash. One hash serves the chain and the tree.
 */
export const logEntryHash = (entry: UnhashedLogEntry): string => sha256Hex(`\u0000${canonicalLogEntryText(entry)}`);

/** The RFC 8785 text of a log entry: every field is a string or an integer, in fixed, sorted order. */
export function canonicalLogEntryText(entry: UnhashedLogEntry): string {
  const { seq, version, eventHash, eventId, prevHash, recordedAt, streamId, tenantId } = entry;
  const fieldCount = Object.keys(entry).length - ('hash' in entry ? 1 : 0);
  const wellFormed =
    fieldCount === 8 &&
    Number.isSafeInteger(seq) &&
    Number.isSafeInteger(version) &&
    typeof eventHash === 'string' &&
    typeof eventId === 'string' &&
    typeof prevHash === 'string' &&
    typeof recordedAt === 'string' &&
    typeof streamId === 'string' &&
    typeof tenantId === 'string';
  if (!wellFormed) {
    const { hash: _ignored, ...fields } = entry as TenantLogEntry;
    return canonicalJson(fields);
  }
  const s = jsonStringTextFor(eventHash + eventId + prevHash + recordedAt + streamId + tenantId);
  return `{"eventHash":${s(eventHash)},"eventId":${s(eventId)},"prevHash":${s(prevHash)},"recordedAt":${s(recordedAt)},"seq":${seq},"streamId":${s(streamId)},"tenantId":${s(tenantId)},"version":${version}}`;
}

/**
 * Where a tenant's log ends: its last entry's place and hash, and the Merkle tree head (RFC 6962)
 * over all its entries' hashes, which a proof of one entry reaches in O(log n) hashes.
 */
export interface TenantLogHead {
  tenantId: string;
  seq: number;
  hash: string;
  root: string;
}

/** A commit's entries and the Merkle frontier of the tenant's log after them (merkle.ts). */
export interface LogCommitRecord {
  entries: TenantLogEntry[];
  frontier: string[];
  /** When the sequencer wrote it (its clock); absent on commits written before this was kept. */
  committedAt?: string;
}
