import { z } from 'zod';

/** A data subject's own stream (`subject#<id>`): the evidence of their erasure, audited like a ticket. */
export const subjectEventSchemas = {
  SubjectErased: {
    schemaVersion: 1,
    data: z.object({ subjectId: z.string(), dsarId: z.string(), tickets: z.number().int() }),
  },
} as const;

export const subjectStreamId = (subjectId: string): string => `subject#${subjectId}`;
