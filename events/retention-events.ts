import * as z from 'zod';
import type { RetentionEvent } from '../domain/retention/events.ts';
import { eventFormOf, type ParsedEvent, type SameShape } from './event-form.ts';

/** A tenant's retention policy as its own stream (`retention-policy#<tenantId>`), audited like a ticket. */
export const retentionEventSchemas = {
  RetentionPolicySet: {
    schemaVersion: 1,
    /** Null switches automatic erasure off. */
    data: z.object({ eraseClosedTicketsAfterDays: z.number().int().positive().nullable() }),
  },
} as const;

true satisfies SameShape<ParsedEvent<typeof retentionEventSchemas>, RetentionEvent>;

export const retentionPolicyStreamId = (tenantId: string): string => `retention-policy#${tenantId}`;

export const retentionEventForm = eventFormOf<RetentionEvent>(retentionEventSchemas);
