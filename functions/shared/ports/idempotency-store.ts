import type { WriteGuard } from './event-store.ts';

/**
 * What a POST with an Idempotency-Key committed. It is written in the same transaction as the
 * events, so a request that appended is always found again, even if the process died before it
 * answered; the response is rebuilt from the stream, so the record itself holds no personal data.
 */
export interface IdempotencyRecord {
  tenantId: string;
  key: string;
  requestHash: string;
  streamId: string;
  /** The versions the request appended: [firstVersion, lastVersion]; first > last when it appended nothing. */
  firstVersion: number;
  lastVersion: number;
  expiresAt: number;
}

export interface IdempotencyStore {
  find(tenantId: string, key: string, nowSeconds: number): Promise<IdempotencyRecord | null>;
  /** The transaction item that claims the key, failing if a live record holds it. */
  claim(record: IdempotencyRecord, nowSeconds: number): WriteGuard;
}
