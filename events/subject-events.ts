import * as z from 'zod';
import type { SubjectEvent } from '../domain/subject/subject.ts';
import { eventFormOf, type ParsedEvent, type SameShape } from './event-form.ts';

/** A data subject's own stream (`subject#<id>`): the evidence of their erasure, audited like a ticket. */
export const subjectEventSchemas = {
  SubjectErased: {
    schemaVersion: 1,
    data: z.object({ subjectId: z.string(), dsarId: z.string(), tickets: z.number().int() }),
  },
} as const;

true satisfies SameShape<ParsedEvent<typeof subjectEventSchemas>, SubjectEvent>;

export const subjectEventForm = eventFormOf<SubjectEvent>(subjectEventSchemas);

export const subjectStreamId = (subjectId: string): string => `subject#${subjectId}`;
