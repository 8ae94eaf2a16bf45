import * as z from 'zod';
import { dsarLaws } from '../domain/dsar/deadlines.ts';
import type { DsarEvent, DsarEventType } from '../domain/dsar/events.ts';
import { dsarTypes } from '../domain/dsar/vocabulary.ts';
import { eventFormOf, type ParsedEvent, type SameShape } from './event-form.ts';

/** The payload of every DSAR event (stream `dsar#<id>`), one schema per type at its current schemaVersion. */
const correctionsSchema = z.object({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() });

/** What fulfilling a request did; the API's view of a request shows it as stored. */
export const dsarResultVariants = [
  z.object({
    type: z.enum(['access', 'export']),
    tickets: z.number().int(),
    messages: z.number().int(),
    events: z.number().int(),
    bundleSha256: z.string(),
  }),
  z.object({ type: z.literal('erasure'), tickets: z.number().int(), subjectErased: z.boolean() }),
  z.object({ type: z.literal('rectification'), tickets: z.number().int() }),
] as const;
const resultSchema = z.discriminatedUnion('type', dsarResultVariants);

export const dsarEventSchemas = {
  DsarRequested: {
    schemaVersion: 1,
    data: z.object({
      dsarId: z.string(),
      requestType: z.enum(dsarTypes),
      law: z.enum(dsarLaws),
      /** Null when no data subject matched: then nothing is held on them. */
      subjectId: z.string().nullable(),
      identifiedBy: z.enum(['email', 'requesterId']),
      /** Sealed with the request's own key, like the corrections. */
      notes: z.string().nullable(),
      corrections: correctionsSchema.nullable(),
      requestedAt: z.iso.datetime(),
      dueAt: z.iso.datetime(),
      warnAt: z.iso.datetime(),
    }),
  },
  DsarDeadlineWarned: { schemaVersion: 1, data: z.object({ dueAt: z.iso.datetime() }) },
  DsarEscalated: { schemaVersion: 1, data: z.object({ dueAt: z.iso.datetime() }) },
  DsarFulfilled: { schemaVersion: 1, data: z.object({ result: resultSchema, late: z.boolean() }) },
} as const satisfies Record<DsarEventType, unknown>;

true satisfies SameShape<ParsedEvent<typeof dsarEventSchemas>, DsarEvent>;

export const dsarStreamId = (dsarId: string): string => `dsar#${dsarId}`;

/** How DSAR events are stored (there are no older versions to upcast yet). */
export const dsarEventForm = eventFormOf<DsarEvent>(dsarEventSchemas);
