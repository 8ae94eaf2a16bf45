import { z } from 'zod';
import { dsarLaws } from '../domain/dsar/deadlines.ts';
import { dsarTypes } from '../domain/dsar/vocabulary.ts';

/** The payload of every DSAR event (stream `dsar#<id>`), one schema per type at its current schemaVersion. */
const correctionsSchema = z.object({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() });

const resultSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.enum(['access', 'export']),
    tickets: z.number().int(),
    messages: z.number().int(),
    events: z.number().int(),
    bundleSha256: z.string(),
  }),
  z.object({ type: z.literal('erasure'), tickets: z.number().int(), subjectErased: z.boolean() }),
  z.object({ type: z.literal('rectification'), tickets: z.number().int() }),
]);

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
} as const;

type Schemas = typeof dsarEventSchemas;
export type DsarEventType = keyof Schemas;
export type DsarEvent = { [K in DsarEventType]: { type: K; data: z.infer<Schemas[K]['data']> } }[DsarEventType];
export type DsarResult = z.infer<typeof resultSchema>;
export type Corrections = z.infer<typeof correctionsSchema>;

export const dsarStreamId = (dsarId: string): string => `dsar#${dsarId}`;

/** Parses a stored DSAR event's payload (there are no older versions to upcast yet). */
export const dsarEventOf = (stored: { type: string; data: unknown }): DsarEvent => {
  const schema = dsarEventSchemas[stored.type as DsarEventType];
  if (!schema) throw new Error(`not a DSAR event: ${stored.type}`);
  return { type: stored.type, data: schema.data.parse(stored.data) } as DsarEvent;
};
