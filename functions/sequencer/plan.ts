import { genesisHash } from '../../events/hash-chain.ts';
import { appendToFrontier } from '../../events/merkle.ts';
import { type LogCommitRecord, logEntryHash, type TenantLogEntry } from '../../events/tenant-log.ts';
import { maxEntriesPerCommit } from '../shared/dynamodb/tenant-log-store.ts';
import type { StreamCursor } from '../shared/ports/tenant-log-store.ts';

/** What the log keeps of an event: where it is, whose it is, and its hash as stored. */
export interface LoggableEvent {
  streamId: string;
  version: number;
  eventId: string;
  tenantId: string;
  recordedAt: string;
  hash: string;
}

/** The entry that gives the event place `seq` in its tenant's log, chained to the entry before it. */
export function logEntryFor(event: LoggableEvent, seq: number, prevHash: string): TenantLogEntry {
  const unhashed = {
    seq,
    streamId: event.streamId,
    version: event.version,
    eventId: event.eventId,
    tenantId: event.tenantId,
    recordedAt: event.recordedAt,
    eventHash: event.hash,
    prevHash,
  };
  return { ...unhashed, hash: logEntryHash(unhashed) };
}

/** The events of each tenant, each tenant's in the order given: every tenant has a log of its own. */
export function byTenant(events: readonly LoggableEvent[]): Map<string, LoggableEvent[]> {
  const tenants = new Map<string, LoggableEvent[]>();
  for (const event of events) {
    const own = tenants.get(event.tenantId);
    if (own) own.push(event);
    else tenants.set(event.tenantId, [event]);
  }
  return tenants;
}

export interface LogCommit extends LogCommitRecord {
  /** Where each stream's cursor goes once the commit has landed. */
  cursors: Map<string, StreamCursor>;
}

/**
 * The next commit to one tenant's log: `events` (fresh, the tenant's, each stream's versions
 * consecutive after its cursor) get the next sequence numbers in the order given, as many as one
 * commit holds.
 */
export function planLogCommit(last: LogCommitRecord | null, cursors: Map<string, StreamCursor>, events: LoggableEvent[]): LogCommit {
  const entries: TenantLogEntry[] = [];
  const moves = new Map<string, StreamCursor>();
  const head = last?.entries.at(-1);
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? genesisHash;
  let frontier = last?.frontier ?? [];
  if (head && frontier.length === 0) throw new Error(`${head.tenantId}: the log's last commit has no Merkle frontier`);
  for (const event of events.slice(0, maxEntriesPerCommit)) {
    const expected = (moves.get(event.streamId)?.lastVersion ?? cursors.get(event.streamId)?.lastVersion ?? 0) + 1;
    if (event.version !== expected) throw new Error(`${event.streamId}: version ${event.version} comes before ${expected}`);
    seq += 1;
    const entry = logEntryFor(event, seq, prevHash);
    entries.push(entry);
    frontier = appendToFrontier(frontier, seq - 1, entry.hash);
    moves.set(event.streamId, { lastVersion: event.version, lastHash: event.hash });
    prevHash = entry.hash;
  }
  return { entries, frontier, cursors: moves };
}

/** The cursors a tenant's last commit moves that still lag behind it: its writer stopped before moving them. */
export function cursorsLeftBehind(commit: LogCommitRecord | null, cursors: Map<string, StreamCursor>): Map<string, StreamCursor> {
  const behind = new Map<string, StreamCursor>();
  for (const entry of commit?.entries ?? []) {
    if ((cursors.get(entry.streamId)?.lastVersion ?? 0) < entry.version)
      behind.set(entry.streamId, { lastVersion: entry.version, lastHash: entry.eventHash });
  }
  return behind;
}
