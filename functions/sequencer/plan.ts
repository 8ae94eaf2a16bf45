import { genesisHash } from '../../events/hash-chain.ts';
import { logEntryHash, type RegionLogEntry } from '../../events/region-log.ts';
import { maxLogItemsPerCommit } from '../shared/dynamodb/region-log-store.ts';
import type { LogHead, StreamCursor } from '../shared/ports/region-log-store.ts';

/** What the log keeps of an event: where it is, whose it is, and its hash as stored. */
export interface LoggableEvent {
  streamId: string;
  version: number;
  eventId: string;
  tenantId: string;
  recordedAt: string;
  hash: string;
}

export interface LogCommit {
  entries: RegionLogEntry[];
  cursors: Map<string, { from: StreamCursor | null; to: StreamCursor }>;
}

/**
 * The next log commit: `events` (fresh, each stream's versions consecutive after its cursor) get
 * the next sequence numbers in the order given, as many as one transaction holds with the cursors
 * they move.
 */
export function planLogCommit(head: LogHead | null, cursors: Map<string, StreamCursor>, events: LoggableEvent[]): LogCommit {
  const entries: RegionLogEntry[] = [];
  const moves: LogCommit['cursors'] = new Map();
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? genesisHash;
  for (const event of events) {
    const itemsIfTaken = entries.length + 1 + moves.size + (moves.has(event.streamId) ? 0 : 1);
    if (itemsIfTaken > maxLogItemsPerCommit) break;
    const from = moves.get(event.streamId)?.from ?? cursors.get(event.streamId) ?? null;
    const expected = (moves.get(event.streamId)?.to.lastVersion ?? from?.lastVersion ?? 0) + 1;
    if (event.version !== expected) throw new Error(`${event.streamId}: version ${event.version} comes before ${expected}`);
    seq += 1;
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
    const entry = { ...unhashed, hash: logEntryHash(unhashed) };
    entries.push(entry);
    moves.set(event.streamId, { from, to: { lastVersion: event.version, lastHash: event.hash } });
    prevHash = entry.hash;
  }
  return { entries, cursors: moves };
}
