import type { TicketEvent } from '../../../domain/ticket/events.ts';
import type { Ticket } from '../../../domain/ticket/state.ts';
import type { StoredEvent } from '../../../events/envelope.ts';
import type { KeyScope } from '../../../events/personal-data.ts';

/** The key ids a ticket's values are sealed with (a data subject id, and the ticket's own id). */
export type SealingKeys = Record<KeyScope, string | null>;

/** Seals personal fields before they are stored, and opens them for readers entitled to them. */
export interface PersonalData {
  /** Refuses (throws) personal data without a key to seal it with: it is never stored in plain text. */
  seal<E extends TicketEvent>(tenantId: string, keys: SealingKeys, event: E): Promise<E>;
  /** Opens the sealed values; one whose key was destroyed (erased) opens as null. */
  openEvent(event: StoredEvent): Promise<StoredEvent>;
  openTicket(ticket: Ticket): Promise<Ticket>;
}
