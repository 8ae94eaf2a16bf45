import type { WebhookSubscription } from '../../../domain/webhook/vocabulary.ts';
import { isDelivering, signingSecrets } from '../../../domain/webhook/webhooks.ts';
import type { BusEvent } from '../../../events/bus-events.ts';
import type { TenantLogEntry } from '../../../events/tenant-log.ts';
import { webhookReceives } from '../../../events/webhook-events.ts';
import { MetricUnit } from '../platform/observability.ts';
import { webhookHeaders } from '../platform/webhooks/standard-webhooks.ts';
import type { Deps } from '../ports/deps.ts';
import type { DeliveryPosition, DeliveryRecord, HeadFailure, SenderLease, WebhookRef } from '../ports/webhook-deliveries.ts';
import { changeOf, loggedChanges } from './change-feed.ts';
import { openTenantSecret } from './tenant-secrets.ts';
import { commitWebhooks, loadWebhooks } from './webhook-subscriptions.ts';

/**
 * The waits between attempts at one delivery, as the Standard Webhooks guidance and Svix retry:
 * 5 seconds, 5 minutes, 30 minutes, 2, 5, 10 and 10 hours (each with up to a fifth of jitter),
 * so eight attempts span a little over 27 hours. The eighth failure pauses the subscription.
 */
export const defaultRetryDelaysMs = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;

/** A sender holds a subscription this long; it renews the hold each time it saves, and stops taking new work after `workMs`. */
const leaseMs = 120_000;
const workMs = 60_000;
const entriesPerRead = 100;
/** Deliveries recorded together (one batch write, one position update). */
const recordsPerSave = 25;

const systemActor = { type: 'system' as const, id: 'webhook-sender' };

const withJitter = (ms: number) => Math.round(ms * (0.8 + Math.random() * 0.4));

/**
 * Delivers a subscription's matching events in its tenant's log order, one at a time, from where
 * it stands. A failing event holds the ones after it back (they are not skipped, and arrive in
 * order once it gets through); after the last retry the subscription is paused on it, so switching
 * it on again resumes from that event. Returns when the log is delivered, a retry is scheduled,
 * or the work time is up (then it wakes itself to carry on).
 */
export async function sendWebhook(deps: Deps, ref: WebhookRef): Promise<void> {
  const subscription = (await loadWebhooks(deps, ref.tenantId)).subscriptions[ref.webhookId];
  if (!subscription) return deps.webhooks.deliveries.forget(ref);
  if (!isDelivering(subscription)) return;
  const lease = await deps.webhooks.deliveries.take(ref, { startsAfter: subscription.startsAfter, leaseMs, now: deps.clock() });
  if (!lease) return;
  const until = performance.now() + workMs;
  for (;;) {
    const outcome = await sendFrom(deps, lease, until);
    if (outcome === 'lost') return;
    // Stopped, or waiting for a retry (already queued): a wake-up meanwhile changes nothing.
    if (outcome === 'stopped' || outcome === 'waiting') return deps.webhooks.deliveries.letGo(lease);
    if (outcome === 'more') {
      await deps.webhooks.deliveries.letGo(lease);
      return deps.webhooks.queue.wake([ref]);
    }
    if (await deps.webhooks.deliveries.release(lease)) return;
  }
}

/** `stopped`: paused, switched off or deleted meanwhile; `lost`: a replay took the lease. */
type Outcome = 'done' | 'waiting' | 'stopped' | 'more' | 'lost';

async function sendFrom(deps: Deps, lease: SenderLease, until: number): Promise<Outcome> {
  const { deliveries } = deps.webhooks;
  if (lease.failing && Date.parse(lease.failing.retryAt) > deps.clock().getTime()) {
    await deps.webhooks.queue.wake([lease], Date.parse(lease.failing.retryAt) - deps.clock().getTime());
    return 'waiting';
  }
  for (;;) {
    if (performance.now() > until) return 'more';
    // Read again for each page: a change of URL, filter or switch applies within a page.
    const subscription = (await loadWebhooks(deps, lease.tenantId)).subscriptions[lease.webhookId];
    if (!subscription || !isDelivering(subscription)) return 'stopped';
    const { entries } = await deps.tenantLog.page({ tenantId: lease.tenantId, after: lease.position.after, limit: entriesPerRead });
    if (entries.length === 0) return 'done';
    let position = { ...lease.position };
    let records: DeliveryRecord[] = [];
    const save = async (failing: HeadFailure | null) => {
      const saved = await deliveries.save(lease, { position, failing, records, leaseMs, now: deps.clock() });
      records = [];
      return saved;
    };
    for (const { entry, event } of await loggedChanges(deps, entries)) {
      if (!event || !webhookReceives(subscription, event)) {
        position = { ...position, after: entry.seq };
        continue;
      }
      const failing = lease.failing?.seq === entry.seq ? lease.failing : null;
      // A retry through the API may have got the waiting event through meanwhile.
      const retried = failing ? await deliveries.record(lease, entry.seq) : null;
      const record = retried?.status === 'delivered' ? retried : await attempt(deps, subscription, { entry, event, position, failing });
      if (record !== retried) records.push(record);
      if (record.status !== 'delivered') {
        const failing = record.nextAttemptAt
          ? { seq: record.seq, attempts: record.attempts, since: record.firstAttemptAt, retryAt: record.nextAttemptAt }
          : null;
        if (!(await save(failing))) return 'lost';
        if (record.status === 'failed') {
          await pause(deps, lease, record);
          return 'stopped';
        }
        await deps.webhooks.queue.wake([lease], Date.parse(record.nextAttemptAt!) - deps.clock().getTime());
        return 'waiting';
      }
      position = { after: entry.seq, previousSeq: entry.seq, previousHash: entry.hash };
      lease.failing = null;
      if (records.length === recordsPerSave && !(await save(null))) return 'lost';
      if (performance.now() > until) return (await save(null)) ? 'more' : 'lost';
    }
    if (!(await save(null))) return 'lost';
  }
}

interface Pending {
  entry: TenantLogEntry;
  event: BusEvent;
  position: DeliveryPosition;
  failing: HeadFailure | null;
}

/** One event, signed with the subscription's current secrets, POSTed to its URL. */
async function signedPost(deps: Deps, subscription: WebhookSubscription, pending: Omit<Pending, 'failing'>, at: Date) {
  const body = JSON.stringify(changeOf(pending.entry, pending.event, pending.position));
  const secrets = await Promise.all(
    signingSecrets(subscription, at).map((sealed) => openTenantSecret(deps.subjectKeys, pending.entry.tenantId, sealed)),
  );
  const result = await deps.webhooks.post(subscription.url, {
    headers: webhookHeaders({ id: pending.entry.eventId, at, body }, secrets),
    body,
  });
  const ok = result.outcome === 'answered' && result.status >= 200 && result.status < 300;
  deps.metrics.addMetric(ok ? 'WebhookDelivered' : 'WebhookAttemptFailed', MetricUnit.Count, 1);
  return {
    ok,
    responseStatus: result.outcome === 'answered' ? result.status : null,
    error: result.outcome === 'answered' ? null : `${result.outcome}: ${result.reason}`,
    latencyMs: result.latencyMs,
  };
}

/** One attempt at the subscription's next event; what its record says after it (attempts counted across retries). */
async function attempt(deps: Deps, subscription: WebhookSubscription, pending: Pending): Promise<DeliveryRecord> {
  const at = deps.clock();
  const { ok, ...answer } = await signedPost(deps, subscription, pending, at);
  const attempts = (pending.failing?.attempts ?? 0) + 1;
  const delay = deps.webhooks.retryDelaysMs[attempts - 1];
  return {
    seq: pending.entry.seq,
    hash: pending.entry.hash,
    previousSeq: pending.position.previousSeq,
    previousHash: pending.position.previousHash,
    messageId: pending.entry.eventId,
    type: pending.event.detailType,
    status: ok ? 'delivered' : delay === undefined ? 'failed' : 'failing',
    attempts,
    ...answer,
    firstAttemptAt: pending.failing?.since ?? at.toISOString(),
    lastAttemptAt: at.toISOString(),
    nextAttemptAt: ok || delay === undefined ? null : new Date(at.getTime() + withJitter(delay)).toISOString(),
    deliveredAt: ok ? at.toISOString() : null,
  };
}

/**
 * Sends one recorded delivery again, now, with the body it had (a retry asked for through the
 * API), and records the attempt. When the subscription is waiting on this delivery and it gets
 * through, the sender carries on at once from the event after it.
 */
export async function retryDelivery(deps: Deps, ref: WebhookRef, seq: number): Promise<DeliveryRecord | null> {
  const subscription = (await loadWebhooks(deps, ref.tenantId)).subscriptions[ref.webhookId];
  const record = subscription ? await deps.webhooks.deliveries.record(ref, seq) : null;
  if (!subscription || !record) return null;
  const { entries } = await deps.tenantLog.page({ tenantId: ref.tenantId, after: seq - 1, limit: 1 });
  const [logged] = await loggedChanges(deps, entries);
  if (!logged?.event) return null;
  const at = deps.clock();
  const { ok, ...answer } = await signedPost(
    deps,
    subscription,
    {
      ...logged,
      event: logged.event,
      position: { after: seq - 1, previousSeq: record.previousSeq, previousHash: record.previousHash },
    },
    at,
  );
  const retried: DeliveryRecord = {
    ...record,
    ...answer,
    attempts: record.attempts + 1,
    lastAttemptAt: at.toISOString(),
    ...(ok ? { status: 'delivered', nextAttemptAt: null, deliveredAt: at.toISOString() } : {}),
  };
  await deps.webhooks.deliveries.putRecord(ref, retried);
  if (ok && (await deps.webhooks.deliveries.position(ref))?.failing?.seq === seq) {
    await deps.webhooks.deliveries.retryNow(ref, at);
    await deps.webhooks.queue.wake([ref]);
  }
  return retried;
}

/** Retries exhausted: the subscription is paused on this event, and says why. */
async function pause(deps: Deps, ref: WebhookRef, record: DeliveryRecord) {
  const answer = record.responseStatus === null ? record.error : `HTTP ${record.responseStatus}`;
  const reason = `the delivery of event ${record.seq} failed ${record.attempts} times from ${record.firstAttemptAt} to ${record.lastAttemptAt}; the last: ${answer}`;
  deps.logger.warn('webhook paused', { webhookId: ref.webhookId, tenantId: ref.tenantId, seq: record.seq, attempts: record.attempts });
  await commitWebhooks(deps, {
    command: { type: 'PauseWebhook', id: ref.webhookId, reason },
    context: { tenantId: ref.tenantId, actor: systemActor, correlationId: ref.webhookId, causationId: `${ref.webhookId}:${record.seq}` },
  });
}

/** Wakes the senders of the subscriptions of these tenants that deliver (their logs moved). */
export async function wakeSubscribers(deps: Deps, tenantIds: Iterable<string>): Promise<number> {
  const refs: WebhookRef[] = [];
  for (const tenantId of new Set(tenantIds)) {
    const { subscriptions } = await loadWebhooks(deps, tenantId);
    for (const subscription of Object.values(subscriptions))
      if (isDelivering(subscription)) refs.push({ tenantId, webhookId: subscription.id });
  }
  if (refs.length > 0) await deps.webhooks.queue.wake(refs);
  return refs.length;
}

/** Where a replay starts: a seq, or the first entry (by binary search over the log) recorded at or after an instant. */
export type ReplayFrom = { fromSeq: number } | { since: string };

/**
 * Moves the subscription back (or on) to `from`: everything matching from there is sent again, in
 * order, with the same webhook-id as before, then the live events after it. The first replayed
 * delivery names the last one delivered before it as its previous (null when none is kept).
 */
export async function replayWebhook(
  deps: Deps,
  ref: WebhookRef,
  from: ReplayFrom,
): Promise<{ fromSeq: number; previousSeq: number | null }> {
  const fromSeq = 'fromSeq' in from ? from.fromSeq : await firstSeqSince(deps, ref.tenantId, from.since);
  const previous = await deps.webhooks.deliveries.deliveredBefore(ref, fromSeq);
  await deps.webhooks.deliveries.rewind(ref, {
    after: fromSeq - 1,
    previousSeq: previous?.seq ?? null,
    previousHash: previous?.hash ?? null,
  });
  await deps.webhooks.queue.wake([ref]);
  return { fromSeq, previousSeq: previous?.seq ?? null };
}

async function firstSeqSince(deps: Deps, tenantId: string, since: string): Promise<number> {
  let low = 1;
  let high = ((await deps.tenantLog.lastCommit(tenantId))?.entries.at(-1)?.seq ?? 0) + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const [entry] = (await deps.tenantLog.page({ tenantId, after: middle - 1, limit: 1 })).entries;
    if (entry && Date.parse(entry.recordedAt) >= Date.parse(since)) high = middle;
    else low = middle + 1;
  }
  return low;
}
