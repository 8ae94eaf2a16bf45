import * as z from 'zod';
import { eventView, ticketView } from './tickets.ts';

/** Replaying a ticket and exporting the tenant's log. */

export const auditTicketQuery = z.strictObject({
  at: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'The instant to replay to (ISO 8601); now if absent', example: '2026-11-24T09:30:00Z' }),
});

export const auditEventsQuery = z.strictObject({
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'a cursor is the nextCursor of an earlier page')
    .transform(Number)
    .optional()
    .meta({ description: "nextCursor of the previous page (a position in your tenant's log); absent: from the start" }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const storedEventView = eventView.extend({}).meta({
  id: 'StoredEvent',
  description: 'An event exactly as stored (what its hash covers): payload at its written schema version, personal data sealed',
});

export const auditTicketView = z
  .object({ at: z.iso.datetime(), ticket: ticketView, events: z.array(storedEventView) })
  .meta({ id: 'AuditTicket' });

export const auditEventPage = z
  .object({
    items: z.array(
      z.object({
        seq: z.number().int().meta({ description: "Position in your tenant's log (1, 2, 3, ... gapless)" }),
        streamId: z.string(),
        version: z.number().int(),
        eventHash: z.string(),
        event: storedEventView.nullable().meta({ description: 'null if the event is no longer in the table (audit verify says why)' }),
      }),
    ),
    nextCursor: z.string(),
    hasMore: z.boolean(),
  })
  .meta({ id: 'AuditEventPage' });
