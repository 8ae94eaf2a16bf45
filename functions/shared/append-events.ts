import type { StoredEvent } from '../../events/envelope.ts';
import { chainEvents, genesisHash } from '../../events/hash-chain.ts';
import { type CommandContext, type StreamKind, WriteContention } from './commands.ts';
import type { Deps } from './composition.ts';
import { ConcurrencyError } from './event-store.ts';
import { jitteredBackoff } from './retry.ts';

export interface NewEvent {
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
}

/** The stored form of events appended after `version`: ids, times, region and context, chained onto `prevHash`. */
export function envelopedEvents(
  deps: Deps,
  streamId: string,
  version: number,
  now: Date,
  context: CommandContext,
  events: NewEvent[],
  prevHash: string,
): StoredEvent[] {
  const at = now.toISOString();
  return chainEvents(
    events.map((event, i) => ({
      eventId: deps.newId(),
      streamId,
      version: version + i + 1,
      occurredAt: at,
      recordedAt: at,
      region: deps.config.region,
      ...context,
      ...event,
    })),
    prevHash,
  );
}

/**
 * Reads a stream, lets `decide` say what to append (nothing: an empty list), and appends it chained
 * onto the stream's head; after a lost race it reads and decides again, with jittered backoff.
 */
export async function appendDecided(
  deps: Deps,
  streamId: string,
  context: CommandContext,
  decide: (stored: StoredEvent[]) => NewEvent[],
  kind: StreamKind = 'stream',
): Promise<{ stored: StoredEvent[]; appended: StoredEvent[] }> {
  for (let attempt = 0; attempt < deps.config.maxWriteAttempts; attempt++) {
    const stored = await deps.eventStore.readStream(streamId);
    const decided = decide(stored);
    if (decided.length === 0) return { stored, appended: [] };
    const last = stored.at(-1);
    const events = envelopedEvents(deps, streamId, last?.version ?? 0, deps.clock(), context, decided, last?.hash ?? genesisHash);
    try {
      await deps.eventStore.append(events, []);
      return { stored, appended: events };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      await jitteredBackoff(attempt);
    }
  }
  throw new WriteContention(kind);
}

/** Appends events with no decision to make (evidence records) at the end of a stream, chained. */
export async function appendToStream(deps: Deps, streamId: string, newEvents: NewEvent[], context: CommandContext): Promise<StoredEvent[]> {
  return (await appendDecided(deps, streamId, context, () => newEvents)).appended;
}
