import type { Dsar } from '../../../domain/dsar/dsar.ts';
import type { DsarStatus, DsarType } from '../../../domain/dsar/vocabulary.ts';
import { MeridianError } from '../../../domain/meridian-error.ts';
import type { RetentionPolicy } from '../../../domain/retention/retention-policy.ts';
import type { Ticket } from '../../../domain/ticket/state.ts';
import type { TicketStatus } from '../../../domain/ticket/vocabulary.ts';

export class InvalidCursorError extends MeridianError {}

/** An opaque cursor's content (base64url JSON, as the API hands cursors out), or InvalidCursorError. */
export function cursorContent(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('the cursor is not one this API issued');
  }
}

/** One index of the views table whose sort key is the viewed thing's ULID. */
export interface ViewIndex {
  name: string;
  partitionKey: string;
  sortKey: string;
}

/** How many views one page reads at most when a filter applies to the views themselves (custom fields). */
export const maxViewsExamined = 1_000;

export interface PageQuery<T> {
  index: ViewIndex;
  /** The index partition to read, e.g. `<tenant>#<status>`. */
  value: string;
  /** The view item's table key for an id (`pk`), needed to resume after it. */
  pkOf: (id: string) => string;
  idOf: (view: T) => string;
  /** Only ids in this range, both ends included (ULIDs: created between two times). */
  idRange?: { from: string; to: string };
  /** Filters on plain attributes of the view item. */
  filters: ViewFilter[];
  /** A filter on the view itself, applied after it is read (a page may then come back short, with a cursor). */
  keep?: (view: T) => boolean;
  /** Everything that defines the query, so a cursor cannot be replayed against another one. */
  fingerprint: string;
  limit: number;
  cursor?: string;
}

export type ViewFilter =
  | { attribute: string; equals: string }
  | { attribute: string; atMost: string }
  | { attribute: string; absent: true };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface QueueQuery {
  tenantId: string;
  status?: TicketStatus;
  team?: string;
  assignee?: string;
  /** A data subject's id. */
  requester?: string;
  /** Custom field values the tickets must have (a multiselect: among its options). */
  fields?: Array<{ key: string; value: string | number | boolean }>;
  limit: number;
  cursor?: string;
}

export type QueuePage = Page<Ticket>;

export interface TicketViews {
  get(ticketId: string): Promise<Ticket | null>;
  /** The views of these tickets by ticket id (absent ones left out), in one read per 100. */
  getMany(ticketIds: string[]): Promise<Map<string, Ticket>>;
  /** Stores the view unless a view of the same (or, replacing, a later) version is there; says whether it wrote. */
  put(ticket: Ticket, options?: { replaceSameVersion?: boolean }): Promise<boolean>;
  queue(query: QueueQuery): Promise<QueuePage>;
  /** Closed tickets not erased yet, closed at or before `closedBy`: what a retention policy reaches. */
  closedBy(query: { tenantId: string; closedBy: Date; limit: number; cursor?: string }): Promise<QueuePage>;
  /** The tenant's tickets created in [from, to] (ms), oldest first: what metrics count. */
  createdBetween(query: { tenantId: string; from: Date; to: Date; limit: number; cursor?: string }): Promise<QueuePage>;
}

export interface DsarQuery {
  tenantId: string;
  status?: DsarStatus;
  type?: DsarType;
  limit: number;
  cursor?: string;
}

/** The projection of each request stream, for the DPO's lists (`GET /v1/dsar?status=overdue`). */
export interface DsarViews {
  get(dsarId: string): Promise<Dsar | null>;
  put(dsar: Dsar, options?: { replaceSameVersion?: boolean }): Promise<boolean>;
  list(query: DsarQuery): Promise<Page<Dsar>>;
}

/** The projection of the policies, so the daily job can find the tenants that have one in force. */
export interface RetentionPolicyViews {
  put(policy: RetentionPolicy, options?: { replaceSameVersion?: boolean }): Promise<boolean>;
  get(tenantId: string): Promise<RetentionPolicy | null>;
  inForce(): AsyncIterable<RetentionPolicy>;
}

export interface ConversationKey {
  tenantId: string;
  channel: string;
  subjectId: string;
}

/**
 * Which ticket a requester's messages on a channel go to: a pointer read and moved with strong
 * consistency, so two messages arriving at once cannot open two tickets (the queue projection
 * lags). Ids only: nothing personal is kept here.
 */
export interface Conversations {
  current(key: ConversationKey): Promise<string | null>;
  /** Points the conversation at `ticketId` if it still points at `previous`; false if another writer moved it. */
  move(key: ConversationKey, previous: string | null, ticketId: string): Promise<boolean>;
  /** Email: the ticket the first of these Message-IDs belongs to (its own, In-Reply-To, References). */
  threadOf(tenantId: string, messageIds: string[]): Promise<string | null>;
  rememberThread(tenantId: string, messageId: string, ticketId: string): Promise<void>;
}
