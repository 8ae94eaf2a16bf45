import type { Logger } from '@aws-lambda-powertools/logger';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { insertedImage } from '../shared/dynamodb/stream-records.ts';
import { jitteredBackoff } from '../shared/platform/retry.ts';
import type { EventStore } from '../shared/ports/event-store.ts';
import { LogRaced, type StreamCursor, spanToNote, type TenantLogStore } from '../shared/ports/tenant-log-store.ts';
import { byTenant, cursorsLeftBehind, type LoggableEvent, planLogCommit } from './plan.ts';

export interface SequencerDeps {
  tenantLog: TenantLogStore;
  eventStore: EventStore;
  logger: Logger;
  clock: () => Date;
}

/**
 * The third consumer of the events table's stream: gives every new event its place in its
 * tenant's log. Tenants are sequenced side by side; within one, shards race for the head and the
 * loser reads it again and retries. Redelivered records are skipped (the stream's cursor is past
 * them); a record the stream lost is read from the table, so the log never skips a version.
 */
export const sequencer =
  (deps: SequencerDeps) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const delivered = event.Records.flatMap((record) => {
      const image = insertedImage(record);
      return image ? [loggable(image)] : [];
    });
    try {
      await sequence(deps, delivered);
      return { batchItemFailures: [] };
    } catch (error) {
      deps.logger.error('sequencing failed', { errorName: (error as Error).name });
      const first = event.Records[0]?.dynamodb?.SequenceNumber;
      return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
    }
  };

const loggable = (image: Record<string, AttributeValue>): LoggableEvent => ({
  streamId: image.streamId?.S ?? '',
  version: Number(image.version?.N),
  eventId: image.eventId?.S ?? '',
  tenantId: image.tenantId?.S ?? '',
  recordedAt: image.recordedAt?.S ?? '',
  hash: image.hash?.S ?? '',
});

/** Logs the delivered events, each tenant's in its own log, the tenants at once; fails if any tenant's part failed. */
export async function sequence(deps: SequencerDeps, delivered: LoggableEvent[], maxAttempts = 50): Promise<void> {
  const outcomes = await Promise.allSettled(
    [...byTenant(delivered)].map(([tenantId, events]) => sequenceTenant(deps, tenantId, events, maxAttempts)),
  );
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

async function sequenceTenant(deps: SequencerDeps, tenantId: string, delivered: LoggableEvent[], maxAttempts: number) {
  const log = deps.tenantLog;
  let pending = delivered;
  let racesLost = 0; // in a row: a commit that lands starts the count again
  while (pending.length > 0) {
    const last = await log.lastCommit(tenantId);
    const cursors = await log.cursors([...new Set([...pending, ...(last?.entries ?? [])].map((e) => e.streamId))]);
    const behind = cursorsLeftBehind(last, cursors);
    if (behind.size > 0) {
      await log.advanceCursors(behind);
      for (const [streamId, cursor] of behind) cursors.set(streamId, cursor);
    }
    const fresh = await withGapsFilled(deps, cursors, pending);
    if (fresh.length === 0) return;
    const now = deps.clock();
    const commit = { ...planLogCommit(last, cursors, fresh), committedAt: now.toISOString() };
    const span = spanToNote(last, now);
    try {
      if (span !== null) await log.markMoved(tenantId, span);
      await log.append(tenantId, commit);
    } catch (error) {
      if (!(error instanceof LogRaced)) throw error;
      if (++racesLost >= maxAttempts) throw new LogRaced(`the log head of a tenant moved ${maxAttempts} times in a row`);
      await jitteredBackoff(racesLost, 200, 5);
      continue;
    }
    racesLost = 0;
    await log.advanceCursors(commit.cursors);
    const covered = (e: LoggableEvent) => (commit.cursors.get(e.streamId) ?? cursors.get(e.streamId))?.lastVersion ?? 0;
    pending = pending.filter((e) => e.version > covered(e));
  }
}

/** The delivered events the log lacks, in delivery order, each stream's missing versions read in before them. */
async function withGapsFilled(deps: SequencerDeps, cursors: Map<string, StreamCursor>, delivered: LoggableEvent[]) {
  const next = new Map([...cursors].map(([streamId, cursor]) => [streamId, cursor.lastVersion + 1]));
  const fresh: LoggableEvent[] = [];
  for (const event of delivered) {
    const expected = next.get(event.streamId) ?? 1;
    if (event.version < expected) continue;
    if (event.version > expected) {
      const stored = await deps.eventStore.readStream(event.streamId, { toVersion: event.version - 1 });
      fresh.push(...stored.filter((missing) => missing.version >= expected));
      deps.logger.warn('sequencer filled a gap from the table', { streamId: event.streamId, from: expected, to: event.version - 1 });
    }
    fresh.push(event);
    next.set(event.streamId, event.version + 1);
  }
  return fresh;
}
