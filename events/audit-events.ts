import * as z from 'zod';

/**
 * Events about the history itself. An auditor's read is recorded as `AuditorRead` in a stream of
 * its own (`auditor-read#<id>`), chained and sequenced like every other event.
 */
export const auditEventSchemas = {
  AuditorRead: {
    schemaVersion: 1,
    data: z.strictObject({
      method: z.string(),
      route: z.string(),
      path: z.string(),
      /** Only parameters that carry no personal data; the names of any others are listed in `withheld`. */
      query: z.record(z.string(), z.string()),
      withheld: z.array(z.string()),
      status: z.number().int(),
    }),
  },
} as const;

export type AuditorReadData = z.infer<typeof auditEventSchemas.AuditorRead.data>;

/** Query parameters recorded as given: ids, times, filters and paging, never a contact handle. */
export const recordableQueryParameters = new Set([
  'at',
  'cursor',
  'limit',
  'status',
  'team',
  'assignee',
  'requester',
  'priority',
  'channel',
]);
