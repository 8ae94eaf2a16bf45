import * as z from 'zod';
import { maxRetentionDays } from '../../../domain/retention/retention-policy.ts';

/** The retention policy and its dry run. */

export const retentionPolicyBody = z
  .strictObject({
    eraseClosedTicketsAfterDays: z
      .number()
      .int()
      .min(1)
      .max(maxRetentionDays)
      .nullable()
      .meta({ description: 'Closed tickets are crypto-shredded this many days after they were closed; null keeps them' }),
  })
  .meta({ id: 'RetentionPolicyInput' });

export const retentionPolicyView = z
  .object({
    tenantId: z.string(),
    eraseClosedTicketsAfterDays: z.number().int().nullable(),
    updatedAt: z.iso.datetime().nullable().meta({ description: 'Null while never set' }),
    updatedBy: z.string().nullable(),
    version: z.number().int().meta({ description: 'Also the ETag; 0 while never set' }),
  })
  .meta({ id: 'RetentionPolicy' });

export const retentionDryRunQuery = z.strictObject({
  eraseClosedTicketsAfterDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxRetentionDays)
    .optional()
    .meta({ description: 'Preview this period instead of the policy in force' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

export const retentionDryRunPage = z
  .object({
    asOf: z.iso.datetime(),
    eraseClosedTicketsAfterDays: z.number().int().nullable(),
    closedBy: z.iso.datetime().nullable().meta({ description: 'Tickets closed at or before this time would be erased now' }),
    items: z.array(z.object({ ticketId: z.string(), createdAt: z.iso.datetime(), closedAt: z.iso.datetime() })),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'RetentionDryRun' });
