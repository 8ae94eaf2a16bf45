import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredEvent } from '../../events/envelope.ts';
import { chainEvents, genesisHash } from '../../events/hash-chain.ts';
import type { Deps } from './composition.ts';
import { ConcurrencyError } from './event-store.ts';
import { type CommandContext, WriteContention } from './ticket-commands.ts';

export interface NewEvent {
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
}

/** Appends events with no decision to make (evidence records) at the end of a stream, chained. */
export async function appendToStream(deps: Deps, streamId: string, newEvents: NewEvent[], context: CommandContext): Promise<StoredEvent[]> {
  for (let attempt = 0; attempt < deps.config.maxWriteAttempts; attempt++) {
    const last = (await deps.eventStore.readStream(streamId)).at(-1);
    const now = deps.clock().toISOString();
    const events = chainEvents(
      newEvents.map((event, i) => ({ eventId: deps.newId(), streamId, version: (last?.version ?? 0) + i + 1, occurredAt: now, recordedAt: now, region: deps.config.region, ...context, ...event })),
      last?.hash ?? genesisHash,
    );
    try {
      await deps.eventStore.append(events, []);
      return events;
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      await sleep(Math.random() * Math.min(250, 4 * 2 ** attempt));
    }
  }
  throw new WriteContention();
}
