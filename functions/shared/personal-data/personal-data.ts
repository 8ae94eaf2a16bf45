import type { Ticket } from '../../../domain/ticket/state.ts';
import type { StoredEvent } from '../../../events/envelope.ts';
import { type FieldPath, personalFields, ticketViewPersonalFields } from '../../../events/personal-data.ts';
import type { TicketEvent, TicketEventType } from '../../../events/ticket-events.ts';
import { isSealed, open, seal, sealedSubject } from './sealing.ts';
import type { SubjectKeys } from './subject-keys.ts';

/** Seals personal fields before they are stored, and opens them for readers entitled to them. */
export interface PersonalData {
  /** Refuses (throws) personal data without a subject to seal it for: it is never stored in plain text. */
  seal<E extends TicketEvent>(tenantId: string, subjectId: string | null, event: E): Promise<E>;
  openEvent(event: StoredEvent): Promise<StoredEvent>;
  openTicket(ticket: Ticket): Promise<Ticket>;
}

type Json = Record<string, unknown>;

/** A copy of `value` with the strings at `paths` replaced by `change` (absent fields stay absent). */
async function mapFields<T>(value: T, paths: readonly FieldPath[], change: (text: string) => Promise<string>): Promise<T> {
  const copy = structuredClone(value) as Json;
  for (const path of paths) {
    const parent = path.slice(0, -1).reduce<Json | undefined>((node, name) => node?.[name] as Json | undefined, copy);
    const leaf = path[path.length - 1]!;
    if (parent && typeof parent[leaf] === 'string') parent[leaf] = await change(parent[leaf]);
  }
  return copy as T;
}

const fieldsOf = (type: string): readonly FieldPath[] => personalFields[type as TicketEventType] ?? [];

export function personalData(keys: SubjectKeys): PersonalData {
  const opener = (tenantId: string) => async (text: string) => {
    if (!isSealed(text)) return text; // written before sealing existed
    const key = await keys.dataKey({ tenantId, subjectId: sealedSubject(text)! });
    return open(text, key, tenantId);
  };
  return {
    async seal(tenantId, subjectId, event) {
      const paths = fieldsOf(event.type);
      if (paths.length === 0) return event;
      if (!subjectId) throw new Error(`${event.type} carries personal data but its ticket has no data subject`);
      const key = await keys.dataKey({ tenantId, subjectId });
      return { ...event, data: await mapFields(event.data, paths, async (text) => seal(text, key, tenantId, subjectId)) };
    },
    async openEvent(event) {
      const paths = fieldsOf(event.type);
      if (paths.length === 0) return event;
      return { ...event, data: await mapFields(event.data, paths, opener(event.tenantId)) };
    },
    openTicket: (ticket) => mapFields(ticket, ticketViewPersonalFields, opener(ticket.tenantId)),
  };
}
