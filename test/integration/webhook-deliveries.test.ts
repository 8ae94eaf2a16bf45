import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import type { DeliveryRecord, WebhookDeliveryStore } from '../../functions/shared/ports/webhook-deliveries.ts';
import { testDeps } from '../support/deps.ts';

const ref = { tenantId: 'acme', webhookId: '01JDZ00000000000000000WH01' };
const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, s));
const record = (seq: number, status: DeliveryRecord['status'] = 'delivered'): DeliveryRecord => ({
  seq,
  hash: 'a'.repeat(64),
  previousSeq: seq > 1 ? seq - 1 : null,
  previousHash: seq > 1 ? 'b'.repeat(64) : null,
  messageId: `01JDZ0000000000000000EV${String(seq).padStart(3, '0')}`,
  type: 'TicketOpened',
  status,
  attempts: 1,
  responseStatus: status === 'delivered' ? 204 : 500,
  error: null,
  latencyMs: 3,
  firstAttemptAt: at(seq).toISOString(),
  lastAttemptAt: at(seq).toISOString(),
  nextAttemptAt: null,
  deliveredAt: status === 'delivered' ? at(seq).toISOString() : null,
});

describe('webhook positions, leases and delivery records (DynamoDB Local)', () => {
  let deps: Deps;
  let store: WebhookDeliveryStore;
  beforeAll(async () => {
    deps = await testDeps();
    store = deps.webhooks.deliveries;
  });

  it('one sender at a time; a wake-up while held makes the holder look again before it lets go', async () => {
    const lease = (await store.take(ref, { startsAfter: 7, leaseMs: 60_000, now: at(0) }))!;
    expect(lease.position).toEqual({ after: 7, previousSeq: null, previousHash: null });
    expect(await store.take(ref, { startsAfter: 0, leaseMs: 60_000, now: at(1) })).toBeNull();
    expect(await store.release(lease)).toBe(false);
    expect(await store.release(lease)).toBe(true);
    // Let go: the next sender takes it, at the position stored (not the startsAfter it passes).
    const next = (await store.take(ref, { startsAfter: 0, leaseMs: 60_000, now: at(2) }))!;
    expect(next.position.after).toBe(7);
    await store.letGo(next);
  });

  it('a lease that ran out is taken over, and its holder can no longer save', async () => {
    const first = (await store.take(ref, { startsAfter: 0, leaseMs: 1_000, now: at(10) }))!;
    const second = (await store.take(ref, { startsAfter: 0, leaseMs: 60_000, now: at(12) }))!;
    expect(second).not.toBeNull();
    const position = { after: 9, previousSeq: 9, previousHash: 'c'.repeat(64) };
    expect(await store.save(first, { position, failing: null, records: [], leaseMs: 1_000, now: at(12) })).toBe(false);
    expect(await store.save(second, { position, failing: null, records: [record(8), record(9)], leaseMs: 60_000, now: at(12) })).toBe(true);
    expect((await store.position(ref))!.position).toEqual(position);
    await store.letGo(second);
  });

  it('a replay moves the position under a holder, which then loses its lease', async () => {
    const held = (await store.take(ref, { startsAfter: 0, leaseMs: 60_000, now: at(20) }))!;
    await store.rewind(ref, { after: 7, previousSeq: null, previousHash: null });
    expect(
      await store.save(held, {
        position: { after: 12, previousSeq: 12, previousHash: 'd'.repeat(64) },
        failing: null,
        records: [],
        leaseMs: 60_000,
        now: at(21),
      }),
    ).toBe(false);
    expect((await store.position(ref))!.position.after).toBe(7);
  });

  it('lists records newest first, page by page, and finds the delivered one before a place', async () => {
    const lease = (await store.take(ref, { startsAfter: 0, leaseMs: 60_000, now: at(30) }))!;
    const records = [1, 2, 3, 4, 5].map((seq) => record(seq, seq === 5 ? 'failing' : 'delivered'));
    await store.save(lease, {
      position: { after: 4, previousSeq: 4, previousHash: 'e'.repeat(64) },
      failing: { seq: 5, attempts: 1, since: at(5).toISOString(), retryAt: at(40).toISOString() },
      records,
      leaseMs: 60_000,
      now: at(30),
    });
    const first = await store.records(ref, { limit: 3 });
    expect(first.items.map((r) => r.seq)).toEqual([9, 8, 5]);
    const second = await store.records(ref, { before: first.nextBefore!, limit: 10 });
    expect(second.items.map((r) => r.seq)).toEqual([4, 3, 2, 1]);
    expect(second.nextBefore).toBeNull();
    expect((await store.deliveredBefore(ref, 6))!.seq).toBe(4);
    expect(await store.deliveredBefore(ref, 1)).toBeNull();
    // A retry asked for through the API makes the waiting one due now.
    await store.retryNow(ref, at(31));
    expect((await store.position(ref))!.failing!.retryAt).toBe(at(31).toISOString());
    await store.letGo(lease);
    await store.forget(ref);
    expect(await store.position(ref)).toBeNull();
  });
});
