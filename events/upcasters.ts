import type { TicketEvent, TicketEventType } from '../domain/ticket/events.ts';
import type { StoredEvent } from './envelope.ts';
import { type EventForm, recordedWith, UnknownEventError } from './event-form.ts';
import { ticketEventSchemas } from './ticket-events.ts';

/** Lifts one stored payload from `schemaVersion` to `schemaVersion + 1`. */
type Upcaster = (event: StoredEvent) => Record<string, unknown>;

/**
 * Keyed by `${type}@${fromVersion}`. Every schema change adds one entry here and bumps the
 * schemaVersion in ticket-events.ts; stored events are never rewritten.
 */
const upcasters: Record<string, Upcaster> = {
  // TicketOpened v1 predates residency and subject keys: it was stored in its home region, in plain text.
  'TicketOpened@1': (event) => ({
    ...event.data,
    requester: { subjectId: null, ...(event.data.requester as Record<string, unknown>) },
    homeRegion: event.region,
  }),
  // MessageAdded v1 had no message or author id: a message is addressed by the event that added it.
  'MessageAdded@1': (event) => ({ messageId: event.eventId, authorId: event.actor.id, ...event.data }),
  // v2 of both predates language detection: the language is unknown, the direction the default.
  'TicketOpened@2': (event) => ({ language: null, direction: 'ltr', ...event.data }),
  'MessageAdded@2': (event) => ({ language: null, direction: 'ltr', ...event.data }),
  // v3 predates attachments: a message had none.
  'MessageAdded@3': (event) => ({ attachments: [], ...event.data }),
};

const isTicketEventType = (type: string): type is TicketEventType => Object.hasOwn(ticketEventSchemas, type);

/** The stored event's payload as the current schema describes it. */
export function upcast(event: StoredEvent): TicketEvent {
  if (!isTicketEventType(event.type)) throw new UnknownEventError(event);
  const target = ticketEventSchemas[event.type];
  let data = event.data;
  for (let version = event.schemaVersion; version < target.schemaVersion; version++) {
    const lift = upcasters[`${event.type}@${version}`];
    if (!lift) throw new UnknownEventError(event);
    data = lift({ ...event, data, schemaVersion: version });
  }
  if (event.schemaVersion > target.schemaVersion) throw new UnknownEventError(event);
  return { type: event.type, data: target.data.parse(data) } as TicketEvent;
}

export const ticketEventForm: EventForm<TicketEvent> = {
  schemaVersion: (type) => ticketEventSchemas[type].schemaVersion,
  read: upcast,
};

/** A stored event as the ticket's evolve folds it. */
export const recorded = recordedWith(ticketEventForm);
