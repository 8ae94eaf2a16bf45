import { z } from 'zod';

/** A tenant's retention policy as its own stream (`retention-policy#<tenantId>`), audited like a ticket. */
export const retentionEventSchemas = {
  RetentionPolicySet: {
    schemaVersion: 1,
    /** Null switches automatic erasure off. */
    data: z.object({ eraseClosedTicketsAfterDays: z.number().int().positive().nullable() }),
  },
} as const;

export type RetentionEvent = { type: 'RetentionPolicySet'; data: z.infer<typeof retentionEventSchemas.RetentionPolicySet.data> };

export const retentionPolicyStreamId = (tenantId: string): string => `retention-policy#${tenantId}`;

export const retentionEventOf = (stored: { type: string; data: unknown }): RetentionEvent => {
  if (stored.type !== 'RetentionPolicySet') throw new Error(`not a retention event: ${stored.type}`);
  return { type: stored.type, data: retentionEventSchemas.RetentionPolicySet.data.parse(stored.data) };
};
