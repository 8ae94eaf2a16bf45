import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** Full jitter, capped: racing writers spread out instead of colliding again in step. */
export const jitteredBackoff = (attempt: number, capMs = 250, baseMs = 4) => sleep(Math.random() * Math.min(capMs, baseMs * 2 ** attempt));

/**
 * A transaction DynamoDB cancelled only because another one held an item: nothing was written,
 * and the SDK does not retry it. Any other reason (a failed condition) is an answer, not a fault.
 */
export const isTransactionConflict = (error: unknown): error is TransactionCanceledException =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict') &&
  !(error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');
