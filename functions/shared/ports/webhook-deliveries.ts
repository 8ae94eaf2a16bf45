import type { OutboundResult, UrlRefusal } from '../platform/webhooks/outbound.ts';

/** Which subscription, of which tenant. */
export interface WebhookRef {
  tenantId: string;
  webhookId: string;
}

/**
 * Where a subscription's deliveries stand in its tenant's log: every entry up to `after` is dealt
 * with (delivered, or not matching), and `previousSeq`/`previousHash` name the last event delivered.
 */
export interface DeliveryPosition {
  after: number;
  previousSeq: number | null;
  previousHash: string | null;
}

/** The next matching event keeps failing: how often it was tried, since when, and when next. */
export interface HeadFailure {
  /** The event's place in the log. */
  seq: number;
  attempts: number;
  since: string;
  retryAt: string;
}

/** One sender's hold on a subscription: only it moves the position until it lets go or the lease runs out. */
export interface SenderLease extends WebhookRef {
  token: string;
  position: DeliveryPosition;
  failing: HeadFailure | null;
}

/** `failing`: retried later; `failed`: retries exhausted, the subscription paused on it; `delivered`: a 2xx answer. */
export type DeliveryStatus = 'delivered' | 'failing' | 'failed';

/** One event's delivery to one subscription: the last attempt's outcome, and every attempt counted. */
export interface DeliveryRecord {
  /** The event's place in the tenant log, which names the delivery in the API. */
  seq: number;
  hash: string;
  /** The delivery before it in this subscription's order, as its body names it. */
  previousSeq: number | null;
  previousHash: string | null;
  /** The webhook-id header: the event's id, the same on every attempt and replay. */
  messageId: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  /** The receiver's HTTP status, or null when there was none (timeout, refused, connection failed). */
  responseStatus: number | null;
  /** Why there was no answer, or what a refusal named. */
  error: string | null;
  latencyMs: number;
  firstAttemptAt: string;
  lastAttemptAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

export interface DeliveryPage {
  items: DeliveryRecord[];
  /** Pass as `before` for the next (older) page; null at the oldest kept. */
  nextBefore: number | null;
}

/** The senders' state: each subscription's position and lease, and the record of each delivery (kept 30 days). */
export interface WebhookDeliveryStore {
  /**
   * The subscription's lease for `leaseMs`, its position made at `startsAfter` on first use; null
   * while another sender holds it, which is then told to look again before it lets go.
   */
  take(ref: WebhookRef, options: { startsAfter: number; leaseMs: number; now: Date }): Promise<SenderLease | null>;
  /** Writes the records and the new position while the lease is this one's (renewed); false when it was lost. */
  save(
    lease: SenderLease,
    update: { position: DeliveryPosition; failing: HeadFailure | null; records: DeliveryRecord[]; leaseMs: number; now: Date },
  ): Promise<boolean>;
  /** Lets the lease go; false when a wake-up came while it was held (the lease is kept: look again). */
  release(lease: SenderLease): Promise<boolean>;
  /** Lets the lease go whatever came meanwhile. */
  letGo(lease: SenderLease): Promise<void>;
  /** Moves the position (a replay) and clears any failure; a sender holding the lease loses it. */
  rewind(ref: WebhookRef, position: DeliveryPosition): Promise<void>;
  /** The position and head failure, as stored; null before the first delivery run. */
  position(ref: WebhookRef): Promise<{ position: DeliveryPosition; failing: HeadFailure | null } | null>;
  /** Makes a failing head due now (a retry asked for through the API). */
  retryNow(ref: WebhookRef, now: Date): Promise<void>;
  record(ref: WebhookRef, seq: number): Promise<DeliveryRecord | null>;
  /** Writes one record as it is (a retry through the API). */
  putRecord(ref: WebhookRef, record: DeliveryRecord): Promise<void>;
  /** The newest first, older than `before` when given. */
  records(ref: WebhookRef, options: { before?: number; limit: number }): Promise<DeliveryPage>;
  /** The newest delivered record before `seq` (where a replay from `seq` takes up the chain). */
  deliveredBefore(ref: WebhookRef, seq: number): Promise<DeliveryRecord | null>;
  /** Drops the position of a deleted subscription (records expire on their own). */
  forget(ref: WebhookRef): Promise<void>;
}

/** Wakes a subscription's sender, now or after a delay (SQS in AWS, at most 15 minutes; a timer locally). */
export interface WebhookQueue {
  wake(refs: WebhookRef[], delayMs?: number): Promise<void>;
}

/** A signed POST to a receiver, under the outbound policy (platform/webhooks/outbound.ts). */
export type WebhookPoster = (url: string, message: { headers: Record<string, string>; body: string }) => Promise<OutboundResult>;

export interface WebhookDelivery {
  deliveries: WebhookDeliveryStore;
  queue: WebhookQueue;
  post: WebhookPoster;
  /** Why a URL may not be called now (the same policy as post), or null. */
  refusalOf: (url: string) => Promise<UrlRefusal | null>;
  /** The wait after each failed attempt at one delivery; when they run out, the subscription is paused. */
  retryDelaysMs: readonly number[];
}
