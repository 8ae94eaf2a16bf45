import { fold } from '../../domain/ticket/evolve.ts';
import type { Ticket } from '../../domain/ticket/state.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { recorded } from '../../events/upcasters.ts';
import type { Deps } from '../shared/composition.ts';

const ticketPrefix = 'ticket#';
export const isTicketStream = (streamId: string) => streamId.startsWith(ticketPrefix);
const ticketIdOf = (streamId: string) => streamId.slice(ticketPrefix.length);

/**
 * Brings one ticket's view up to the events delivered for it. Duplicates and older events change
 * nothing; a gap (a record lost or delivered out of order) is filled from the event store.
 */
export async function projectTicket(deps: Deps, streamId: string, delivered: StoredEvent[]): Promise<void> {
  const current = await deps.ticketViews.get(ticketIdOf(streamId));
  const seen = current?.version ?? 0;
  const fresh = [...new Map(delivered.filter((e) => e.version > seen).map((e) => [e.version, e])).values()].sort(
    (a, b) => a.version - b.version,
  );
  if (fresh.length === 0) return;
  const contiguous = fresh.every((event, i) => event.version === seen + 1 + i);
  const next = contiguous
    ? fold(fresh.map(recorded), current)
    : fold((await deps.eventStore.readStream(streamId)).map(recorded));
  if (next) await deps.ticketViews.put(next);
}

/** Recomputes one ticket's view from its whole stream, replacing a view of the same version. */
export async function rebuildTicket(deps: Deps, streamId: string): Promise<Ticket | null> {
  const ticket = fold((await deps.eventStore.readStream(streamId)).map(recorded));
  if (ticket) await deps.ticketViews.put(ticket, { replaceSameVersion: true });
  return ticket;
}

