import type * as z from 'zod';
import type { RecordedEvent } from '../domain/decider.ts';
import { MeridianError } from '../domain/meridian-error.ts';
import type { StoredEvent } from './envelope.ts';

/** One schema per event type of a stream kind, each at its current schemaVersion. */
export type EventSchemas = Record<string, { schemaVersion: number; data: z.ZodType }>;

/** The events a table of schemas parses to. */
export type ParsedEvent<S extends EventSchemas> = { [K in keyof S & string]: { type: K; data: z.infer<S[K]['data']> } }[keyof S & string];

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

/**
 * True when each side is assignable to the other, readonly aside (the domain may promise not to
 * change an array; a parsed one is a fresh copy). Each events/ file checks its schemas against the
 * domain's event type with it (`true satisfies SameShape<...>`), so the two cannot drift apart.
 */
export type SameShape<A, B> = [Mutable<A>] extends [Mutable<B>] ? ([Mutable<B>] extends [Mutable<A>] ? true : false) : false;

/** How a stream kind's domain events are stored and read back. */
export interface EventForm<Event extends { type: string }> {
  /** The schemaVersion a new event of this type is written with. */
  schemaVersion: (type: Event['type']) => number;
  /** A stored event's payload as the current schema describes it (upcast where it is older). */
  read: (stored: StoredEvent) => Event;
}

/**
 * A stored event as a decider's evolve folds it: current payload, and where, when and by whom it was
 * recorded. Built field by field: a spread of the read event made replay several times slower (V8
 * gives the copies a shape of their own per call site; measured in the audit bench's replay row).
 */
export const recordedWith =
  <Event extends { type: string; data: unknown }>(form: EventForm<Event>) =>
  (stored: StoredEvent): RecordedEvent<Event> => {
    const { type, data } = form.read(stored);
    return {
      type,
      data,
      version: stored.version,
      occurredAt: stored.occurredAt,
      tenantId: stored.tenantId,
      actorId: stored.actor.id,
    } as RecordedEvent<Event>;
  };

export class UnknownEventError extends MeridianError {
  constructor(readonly event: Pick<StoredEvent, 'streamId' | 'version' | 'type' | 'schemaVersion'>) {
    super(`cannot read ${event.type} v${event.schemaVersion} at ${event.streamId}@${event.version}`);
  }
}

/** The form of a stream kind with no older versions to upcast: a stored payload parses as it is. */
export const eventFormOf = <Event extends { type: string }>(schemas: EventSchemas): EventForm<Event> => ({
  schemaVersion: (type) => schemas[type]!.schemaVersion,
  read: (stored) => {
    const schema = Object.hasOwn(schemas, stored.type) ? schemas[stored.type]! : undefined;
    if (!schema || stored.schemaVersion > schema.schemaVersion) throw new UnknownEventError(stored);
    return { type: stored.type, data: schema.data.parse(stored.data) } as unknown as Event;
  },
});
