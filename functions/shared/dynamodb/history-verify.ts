import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { StoredEvent } from '../../../events/envelope.ts';
import { eventHash, genesisHash, sha256Hex } from '../../../events/hash-chain.ts';
import { type HeadDigest, logEntryHash, type RegionLogEntry } from '../../../events/region-log.ts';
import { recordOfItem, storedCanonicalText } from './event-store.ts';

type Item = Record<string, AttributeValue>;

/** Where the verifier reads the region from; DynamoDB in production, arrays in the benchmark. */
export interface HistorySource {
  /** Every event item, in any order, in pages. */
  eventItems(tenantId?: string): AsyncIterable<Item[]>;
  /** The region log, in sequence order, in pages. */
  logEntries(): AsyncIterable<RegionLogEntry[]>;
  latestDigest(): Promise<HeadDigest | null>;
}

export interface BrokenLink {
  streamId: string;
  version: number;
  /** The region log position of the broken link, when it has one. */
  seq?: number;
  reason: string;
}

export interface VerifyReport {
  ok: boolean;
  events: number;
  streams: number;
  logEntries: number;
  /** Intact events the region log does not cover yet (written in the last moments). */
  unsequenced: number;
  /** In region order: the first is the first broken link. */
  broken: BrokenLink[];
  digest: Pick<HeadDigest, 'seq' | 'writtenAt'> | null;
}

interface Checked {
  hash: string;
  prevHash: string;
  intact: boolean;
  logged: boolean;
}

export interface VerifyOptions {
  tenantId?: string;
  /** Called now and then with the number of events and log entries checked so far. */
  onProgress?: (checked: { events: number; logEntries: number }) => void;
  /** How many broken links to collect before stopping (the first is always the earliest). */
  maxBroken?: number;
}

/**
 * Walks the whole history of a region: recomputes every event's hash, follows each stream's
 * chain and the region log's chain, checks that every logged event is there unchanged and in
 * order, and that the log still reaches the newest head digest.
 */
export async function verifyHistory(source: HistorySource, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { streams, events } = await checkEvents(source, options);
  const broken: BrokenLink[] = [];
  const report = (link: BrokenLink) => broken.length < (options.maxBroken ?? 100) && broken.push(link);
  const loggedVersion = new Map<string, number>();
  const digest = await source.latestDigest();
  let expectedSeq = 1;
  let previous: RegionLogEntry | null = null;
  let logEntries = 0;
  let digestReached = false;

  for await (const page of source.logEntries()) {
    for (const entry of page) {
      logEntries += 1;
      if (entry.seq !== expectedSeq) {
        report({ ...at(entry), reason: `region log entries ${expectedSeq} to ${entry.seq - 1} are missing` });
      } else if (entry.prevHash !== (previous?.hash ?? genesisHash) || entry.hash !== logEntryHash(entry)) {
        report({ ...at(entry), reason: `region log entry ${entry.seq} was altered` });
      }
      if (digest && entry.seq === digest.seq) {
        digestReached = true;
        if (entry.hash !== digest.hash)
          report({ ...at(entry), reason: `region log entry ${entry.seq} differs from the head digest of ${digest.writtenAt}` });
      }
      expectedSeq = entry.seq + 1;
      previous = entry;
      if (options.tenantId && entry.tenantId !== options.tenantId) continue;
      const problem = checkLogged(streams, loggedVersion, entry);
      if (problem) report({ ...at(entry), reason: problem });
    }
    options.onProgress?.({ events, logEntries });
  }
  if (digest && !digestReached) {
    report({
      streamId: digest.streamId,
      version: digest.version,
      seq: digest.seq,
      reason: `the history ends at region log entry ${expectedSeq - 1}, but the head digest of ${digest.writtenAt} covers it up to entry ${digest.seq}`,
    });
  }
  const unsequenced = checkUnlogged(streams, loggedVersion, report);
  return {
    ok: broken.length === 0,
    events,
    streams: streams.size,
    logEntries,
    unsequenced,
    broken,
    digest: digest && { seq: digest.seq, writtenAt: digest.writtenAt },
  };
}

const at = (entry: RegionLogEntry) => ({ streamId: entry.streamId, version: entry.version, seq: entry.seq });

/**
 * A stream's events by version (sparse where versions are missing). An array, not a Map: verify
 * keeps every event of a region, and the lighter bookkeeping is measurable.
 */
type Versions = Checked[];
type Streams = Map<string, Versions>;

/** Every event, its hash recomputed from its stored record: streamId -> version -> what was found. */
async function checkEvents(source: HistorySource, options: VerifyOptions): Promise<{ streams: Streams; events: number }> {
  const streams: Streams = new Map();
  let events = 0;
  for await (const page of source.eventItems(options.tenantId)) {
    for (const item of page) {
      const streamId = item.streamId?.S ?? '';
      const hash = item.hash?.S ?? '';
      let versions = streams.get(streamId);
      if (!versions) streams.set(streamId, (versions = []));
      const version = Number(item.version?.N);
      // A tampered version that is no array index still counts, under an index no real event uses.
      const index = Number.isSafeInteger(version) && version > 0 && version < 2 ** 32 - 1 ? version : 0;
      if (versions[index] === undefined) events += 1;
      versions[index] = { hash, prevHash: item.prevHash?.S ?? '', intact: isIntact(item, hash), logged: false };
    }
    options.onProgress?.({ events, logEntries: 0 });
  }
  return { streams, events };
}

/**
 * Whether the record still hashes to its stored hash: from its stored text directly (the fast
 * path, exact for records as Meridian writes them), else parsed and canonicalised in full.
 */
function isIntact(item: Item, hash: string): boolean {
  const text = storedCanonicalText(item);
  if (text !== null && sha256Hex(text) === hash) return true;
  try {
    return eventHash(recordOfItem(item) as StoredEvent) === hash;
  } catch {
    return false; // not even JSON any more
  }
}

/** Whether the event a log entry covers is there, unchanged, and follows its stream's previous version. */
function checkLogged(streams: Streams, loggedVersion: Map<string, number>, entry: RegionLogEntry): string | null {
  const versions = streams.get(entry.streamId);
  const event = versions?.[entry.version];
  const before = loggedVersion.get(entry.streamId) ?? 0;
  loggedVersion.set(entry.streamId, entry.version);
  if (!event)
    return versions
      ? `the event is missing (region log entry ${entry.seq} covers it)`
      : `the whole stream is missing (region log entry ${entry.seq} covers this event)`;
  event.logged = true;
  if (!event.intact) return 'the event was altered: its stored record does not match its hash';
  if (event.hash !== entry.eventHash) return `the event was replaced: its hash is not the one region log entry ${entry.seq} recorded`;
  if (entry.version !== before + 1) return `out of order: the region log reaches version ${entry.version} after version ${before}`;
  const expectedPrev = entry.version === 1 ? genesisHash : versions![entry.version - 1]?.hash;
  if (event.prevHash !== expectedPrev) return `the chain is broken: prevHash is not the hash of version ${entry.version - 1}`;
  return null;
}

/** Events no log entry covers: fine if they continue their stream's chain intact (not sequenced yet). */
function checkUnlogged(streams: Streams, loggedVersion: Map<string, number>, report: (link: BrokenLink) => void) {
  let unsequenced = 0;
  for (const [streamId, versions] of streams) {
    let expected = (loggedVersion.get(streamId) ?? 0) + 1;
    // forEach visits a sparse array's events in version order and skips the holes.
    versions.forEach((event, version) => {
      if (event.logged) return;
      const prev = version === 1 ? genesisHash : versions[version - 1]?.hash;
      if (version === 0) report({ streamId, version, reason: 'an event has a version that is not a positive integer' });
      else if (version !== expected)
        report({ streamId, version, reason: `version ${version} is not in the region log, and versions before it are` });
      else if (!event.intact) report({ streamId, version, reason: 'the event was altered: its stored record does not match its hash' });
      else if (event.prevHash !== prev)
        report({ streamId, version, reason: `the chain is broken: prevHash is not the hash of version ${version - 1}` });
      else unsequenced += 1;
      expected = version + 1;
    });
  }
  return unsequenced;
}
