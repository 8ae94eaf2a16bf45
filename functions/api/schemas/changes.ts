import * as z from 'zod';
import { sha256Hash } from './common.ts';

/** The change feed integrators pull. */

export const changesQuery = z.strictObject({
  cursor: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .meta({ description: 'nextCursor of the previous page; absent: from the start of your tenant log' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const hash = sha256Hash;

export const changePage = z
  .object({
    items: z.array(
      z
        .object({
          seq: z.number().int().meta({
            description:
              "The event's place in your tenant log (1, 2, 3, ...; events that are not changes, such as auditor reads, leave gaps)",
          }),
          hash: hash.meta({ description: "The tenant log entry's hash (docs/audit.md)" }),
          previousSeq: z
            .number()
            .int()
            .nullable()
            .meta({ description: 'seq of the change before this one in the feed; null for the first' }),
          previousHash: hash.nullable().meta({ description: 'hash of the change before this one in the feed; null for the first' }),
          source: z.enum(['meridian.tickets', 'meridian.dsar']),
          type: z
            .string()
            .meta({ description: 'The event type, as the bus names it (detail-type): TicketOpened, MessageAdded, StatusChanged, ...' }),
          detail: z.record(z.string(), z.unknown()).meta({
            description:
              'The event as the bus carries it: ids, types, times and facts, never a name, contact, subject line or message text ' +
              '(MessageAdded: messageId, from, public and attachments [{id, contentType, size}], without file names)',
          }),
        })
        .meta({ id: 'Change' }),
    ),
    nextCursor: z.string().meta({ description: 'Pass back as cursor to continue; keep the last one to resume later' }),
    endOfStream: z
      .boolean()
      .meta({ description: 'true: nothing was logged after this page when it was read; poll again later with nextCursor' }),
  })
  .meta({ id: 'ChangePage' });
