import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { StoredEvent } from '../../../events/envelope.ts';
import { eventHash, genesisHash, sha256Hex } from '../../../events/hash-chain.ts';
import { checkDigestChain, type HeadsDigest, type StoredDigest } from '../../../events/heads-digest.ts';
import { GrowingTree } from '../../../events/merkle.ts';
import { logEntryHash, type TenantLogEntry } from '../../../events/tenant-log.ts';
import { recordOfItem, storedCanonicalText } from './event-store.ts';

type Item = Record<string, AttributeValue>;

/** Where the verifier reads the region from; DynamoDB in production, arrays in the benchmark. */
export interface HistorySource {
  /** Every event item, in any order, in pages. */
  eventItems(tenantId?: string): AsyncIterable<Item[]>;
  /** Every tenant that has a log. */
  tenants(): Promise<string[]>;
  /** One tenant's log, in sequence order, in pages. */
  logEntries(tenantId: string): AsyncIterable<TenantLogEntry[]>;
  /** Every heads digest kept, newest first. */
  digests(): Promise<StoredDigest[]>;
}

export interface BrokenLink {
  /** The `writtenAt` of the heads digest that is broken, when the link is a digest's. */
  digest?: string;
  /** The tenant whose log holds the broken link, when it is in a log. */
  tenantId?: string;
  /** The event, when the link is an event's; absent when a tenant's log itself is cut. */
  streamId?: string;
  version?: number;
  /** The tenant log position of the broken link, when it has one. */
  seq?: number;
  reason: string;
}

export interface VerifyReport {
  ok: boolean;
  events: number;
  streams: number;
  tenants: number;
  logEntries: number;
  /** Intact events no tenant log covers yet (written in the last moments). */
  unsequenced: number;
  /** Tenant by tenant, each in log order: the first is the first broken link. */
  broken: BrokenLink[];
  digest: Pick<HeadsDigest, 'writtenAt'> | null;
  /** How many heads digests were checked; their signatures only when a public key was given. */
  digests: number;
  signaturesChecked: boolean;
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
  /** The region's digest signing key (PEM): every digest's signature is checked against it. */
  publicKeyPem?: string;
}

/**
 * Walks the whole history of a region: recomputes every event's hash, follows each stream's
 * chain and each tenant log's chain, checks that every logged event is there unchanged and in
 * order, and that each tenant's log still reaches its head in the newest digest.
 */
export async function verifyHistory(source: HistorySource, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { streams, events } = await checkEvents(source, options);
  const broken: BrokenLink[] = [];
  const report = (link: BrokenLink) => broken.length < (options.maxBroken ?? 100) && broken.push(link);
  const loggedVersion = new Map<string, number>();
  const digests = await source.digests();
  const digest = digests[0]?.digest ?? null;
  if (options.publicKeyPem !== undefined) for (const problem of checkDigestChain(digests, options.publicKeyPem)) report(problem);
  // A digest written before tenant logs (one region head) names no tenant's head: the chain of digests goes on from it.
  const digestHeads = new Map((Array.isArray(digest?.heads) ? digest.heads : []).map((head) => [head.tenantId, head]));
  const tenants = [...new Set([...(await source.tenants()), ...digestHeads.keys()])]
    .filter((tenantId) => options.tenantId === undefined || tenantId === options.tenantId)
    .sort();
  let logEntries = 0;

  for (const tenantId of tenants) {
    const head = digestHeads.get(tenantId);
    let expectedSeq = 1;
    let previous: TenantLogEntry | null = null;
    let headReached = false;
    const tree = new GrowingTree();
    for await (const page of source.logEntries(tenantId)) {
      for (const entry of page) {
        logEntries += 1;
        if (entry.seq !== expectedSeq) {
          report({ ...at(entry), reason: `tenant log entries ${expectedSeq} to ${entry.seq - 1} are missing` });
        } else if (
          entry.prevHash !== (previous?.hash ?? genesisHash) ||
          entry.hash !== logEntryHash(entry) ||
          entry.tenantId !== tenantId
        ) {
          report({ ...at(entry), reason: `tenant log entry ${entry.seq} was altered` });
        }
        // The tree is compared with the digest's head only: entries after it, or a log no digest names, need none.
        if (head && entry.seq <= head.seq) tree.addLeafHash(entry.hash);
        if (head && entry.seq === head.seq) {
          headReached = true;
          if (entry.hash !== head.hash)
            report({ ...at(entry), reason: `tenant log entry ${entry.seq} differs from the heads digest of ${digest!.writtenAt}` });
          else if (head.root !== undefined && tree.root() !== head.root)
            report({
              ...at(entry),
              reason: `the tenant log's Merkle root at entry ${entry.seq} differs from the heads digest of ${digest!.writtenAt}`,
            });
        }
        expectedSeq = entry.seq + 1;
        previous = entry;
        const problem = checkLogged(streams, loggedVersion, entry);
        if (problem) report({ ...at(entry), reason: problem });
      }
      options.onProgress?.({ events, logEntries });
    }
    if (head && !headReached) {
      report({
        tenantId,
        seq: head.seq,
        reason: `the log ends at entry ${expectedSeq - 1}, but the heads digest of ${digest!.writtenAt} covers it up to entry ${head.seq}`,
      });
    }
  }
  const unsequenced = checkUnlogged(streams, loggedVersion, report);
  return {
    ok: broken.length === 0,
    events,
    streams: streams.size,
    tenants: tenants.length,
    logEntries,
    unsequenced,
    broken,
    digest: digest && { writtenAt: digest.writtenAt },
    digests: digests.length,
    signaturesChecked: options.publicKeyPem !== undefined,
  };
}

const at = (entry: TenantLogEntry) => ({ tenantId: entry.tenantId, streamId: entry.streamId, version: entry.version, seq: entry.seq });

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
function checkLogged(streams: Streams, loggedVersion: Map<string, number>, entry: TenantLogEntry): string | null {
  const versions = streams.get(entry.streamId);
  const event = versions?.[entry.version];
  const before = loggedVersion.get(entry.streamId) ?? 0;
  loggedVersion.set(entry.streamId, entry.version);
  if (!event)
    return versions
      ? `the event is missing (tenant log entry ${entry.seq} covers it)`
      : `the whole stream is missing (tenant log entry ${entry.seq} covers this event)`;
  event.logged = true;
  if (!event.intact) return 'the event was altered: its stored record does not match its hash';
  if (event.hash !== entry.eventHash) return `the event was replaced: its hash is not the one tenant log entry ${entry.seq} recorded`;
  if (entry.version !== before + 1) return `out of order: the tenant log reaches version ${entry.version} after version ${before}`;
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
        report({ streamId, version, reason: `version ${version} is not in its tenant's log, and versions before it are` });
      else if (!event.intact) report({ streamId, version, reason: 'the event was altered: its stored record does not match its hash' });
      else if (event.prevHash !== prev)
        report({ streamId, version, reason: `the chain is broken: prevHash is not the hash of version ${version - 1}` });
      else unsequenced += 1;
      expected = version + 1;
    });
  }
  return unsequenced;
}
