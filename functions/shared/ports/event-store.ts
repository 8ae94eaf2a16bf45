import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { MeridianError } from '../../../domain/meridian-error.ts';
import type { StoredEvent } from '../../../events/envelope.ts';

/** Another writer took a version (or a guarded item) first: re-read and decide again. */
export class ConcurrencyError extends MeridianError {
  constructor(
    readonly streamId: string,
    readonly reason: 'version_taken' | 'guard_failed' | 'transaction_conflict',
  ) {
    super(`concurrent write on ${streamId}: ${reason}`);
  }
}

/** An item written in the same transaction as an append, which fails if the item's own condition fails (an Idempotency-Key claim). */
export type WriteGuard = TransactWriteItem;

/**
 * Whether an append of `events` with `guards` is a transaction: a lone event with nothing beside
 * it is a conditional put (half the write units), anything more is one transaction.
 */
export const appendIsTransaction = (events: number, guards: number) => events > 1 || guards > 0;

export interface EventStore {
  readStream(streamId: string, options?: { toVersion?: number }): Promise<StoredEvent[]>;
  /** The events at these positions (in no particular order); absent ones are left out. */
  readEvents(keys: Array<{ streamId: string; version: number }>): Promise<StoredEvent[]>;
  /** Appends events (consecutive versions of one stream) atomically, together with any guard items. */
  append(events: StoredEvent[], guards?: WriteGuard[]): Promise<void>;
}
