import * as z from 'zod';
import { type BusEvent, toBusEvent } from '../../../events/bus-events.ts';
import { sha256HexPattern } from '../../../events/hash-chain.ts';
import type { TenantLogEntry } from '../../../events/tenant-log.ts';
import type { Deps } from '../ports/deps.ts';
import { cursorContent, InvalidCursorError } from '../ports/views.ts';
import { loggedEvents } from './audit-export.ts';

/**
 * One change in a tenant's feed: a PII-free event (the bus's form, events/bus-events.ts) at its
 * place in the tenant's log, and the place and hash of the change before it in the feed, so a
 * reader sees a gap or a reordering on its own.
 */
export interface Change {
  seq: number;
  hash: string;
  previousSeq: number | null;
  previousHash: string | null;
  source: string;
  type: string;
  detail: Record<string, unknown>;
}

export interface ChangePage {
  items: Change[];
  nextCursor: string;
  /** Nothing was logged after this page when it was read: call again later with nextCursor. */
  endOfStream: boolean;
}

/** Where a reader stands: after log entry `after`, the last change it was given at `previousSeq` with `previousHash`. */
interface FeedPosition {
  after: number;
  previousSeq: number | null;
  previousHash: string | null;
}

const positionSchema = z.union([
  z.tuple([z.number().int().min(0), z.null(), z.null()]),
  z.tuple([z.number().int().min(1), z.number().int().min(1), z.string().regex(sha256HexPattern)]),
]);

export const encodeFeedCursor = (at: FeedPosition): string =>
  Buffer.from(JSON.stringify([at.after, at.previousSeq, at.previousHash])).toString('base64url');

function decodeFeedCursor(cursor: string): FeedPosition {
  const result = positionSchema.safeParse(cursorContent(cursor));
  if (!result.success || (result.data[1] !== null && result.data[1] > result.data[0]))
    throw new InvalidCursorError('the cursor is not one this API issued');
  const [after, previousSeq, previousHash] = result.data;
  return { after, previousSeq, previousHash };
}

/** Streams whose events have a PII-free form; the others (auditor reads, subjects, setup, webhooks) stay out of the feed. */
const sharedStream = (streamId: string) => streamId.startsWith('ticket#') || streamId.startsWith('dsar#');

/** A page of log entries, each with its PII-free event, or null for an entry that is not a change. */
export async function loggedChanges(
  deps: Pick<Deps, 'eventStore' | 'logger'>,
  entries: TenantLogEntry[],
): Promise<Array<{ entry: TenantLogEntry; event: BusEvent | null }>> {
  const shared = entries.filter((entry) => sharedStream(entry.streamId));
  const events = new Map((await loggedEvents(deps.eventStore, shared)).map((event, i) => [shared[i]!.seq, event]));
  return entries.map((entry) => {
    const stored = events.get(entry.seq);
    if (stored === null) deps.logger.error('a logged event is missing from the table', { seq: entry.seq });
    return { entry, event: stored ? toBusEvent(stored) : null };
  });
}

/** A change as the feed and the webhooks carry it: the event at its place, after the change given before it. */
export const changeOf = (entry: TenantLogEntry, event: BusEvent, previous: Pick<Change, 'previousSeq' | 'previousHash'>): Change => ({
  seq: entry.seq,
  hash: entry.hash,
  previousSeq: previous.previousSeq,
  previousHash: previous.previousHash,
  source: event.source,
  type: event.detailType,
  detail: event.detail,
});

/** Log entries read per page, and at most this many pages per answer when few of them are changes. */
const entriesPerRead = 500;
const maxReads = 10;

/**
 * A page of the tenant's changes after the cursor, in the tenant's log order: at most `limit`,
 * fewer when the log ends (endOfStream) or when many entries in a row are not changes.
 */
export async function readChanges(
  deps: Pick<Deps, 'tenantLog' | 'eventStore' | 'logger'>,
  tenantId: string,
  query: { cursor?: string; limit: number },
): Promise<ChangePage> {
  const at = query.cursor ? decodeFeedCursor(query.cursor) : { after: 0, previousSeq: null, previousHash: null };
  const items: Change[] = [];
  let endOfStream = false;
  for (let reads = 0; reads < maxReads && items.length < query.limit && !endOfStream; reads++) {
    const { entries, more } = await deps.tenantLog.page({ tenantId, after: at.after, limit: entriesPerRead });
    let read = 0;
    for (const { entry, event } of await loggedChanges(deps, entries)) {
      if (items.length === query.limit) break;
      read += 1;
      at.after = entry.seq;
      if (!event) continue;
      items.push(changeOf(entry, event, at));
      at.previousSeq = entry.seq;
      at.previousHash = entry.hash;
    }
    endOfStream = read === entries.length && !more;
  }
  return { items, nextCursor: encodeFeedCursor(at), endOfStream };
}
