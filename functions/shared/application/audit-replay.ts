import { fold } from '../../../domain/ticket/evolve.ts';
import type { Ticket } from '../../../domain/ticket/state.ts';
import { type StoredEvent, ticketStreamId } from '../../../events/envelope.ts';
import { recorded } from '../../../events/upcasters.ts';
import type { EventStore } from '../ports/event-store.ts';

export interface TicketThen {
  ticket: Ticket;
  /** The stored events up to the instant, as stored (payloads sealed, at their written schema version). */
  events: StoredEvent[];
}

/**
 * The ticket as it was at `at`: its stream folded up to the last event recorded at or before that
 * instant. Null when the ticket did not exist yet (or belongs to another tenant, when one is given).
 */
export async function ticketAt(eventStore: EventStore, ticketId: string, at: Date, tenantId?: string): Promise<TicketThen | null> {
  const stored = await eventStore.readStream(ticketStreamId(ticketId));
  if (tenantId !== undefined && stored[0] && stored[0].tenantId !== tenantId) return null;
  const cutoff = at.getTime();
  // A state is always a prefix of the stream: the first event recorded after the instant ends it.
  const after = stored.findIndex((event) => Date.parse(event.recordedAt) > cutoff);
  const events = after === -1 ? stored : stored.slice(0, after);
  const ticket = fold(events.map(recorded));
  return ticket ? { ticket, events } : null;
}
