import * as z from 'zod';
import { sha256Hash } from './common.ts';
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

export const auditProofParams = z.strictObject({
  eventId: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'an event id is a ULID')
    .meta({ description: 'The event to prove (its eventId)' }),
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

const hash = sha256Hash;
const inclusionProof = z
  .object({
    size: z.number().int().meta({ description: 'Leaves in the tree' }),
    index: z.number().int().meta({ description: "The leaf's place, from 0" }),
    path: z.array(hash).meta({ description: 'RFC 9162 inclusion path: sibling hashes from the leaf up' }),
  })
  .meta({ id: 'InclusionProof' });
const tenantLogHead = z.object({ tenantId: z.string(), seq: z.number().int(), hash, root: hash }).meta({ id: 'TenantLogHead' });

export const auditProofView = z
  .object({
    proof: z.literal('meridian-event-proof'),
    version: z.literal(1),
    region: z.string(),
    event: storedEventView,
    entry: z
      .object({
        seq: z.number().int(),
        streamId: z.string(),
        version: z.number().int(),
        eventId: z.string(),
        tenantId: z.string(),
        recordedAt: z.string(),
        eventHash: hash,
        prevHash: hash,
        hash,
      })
      .meta({ description: 'The tenant log entry that names the event' }),
    tenantTree: inclusionProof.meta({ description: "The entry's path to its tenant's tree head" }),
    head: tenantLogHead,
    regionTree: inclusionProof.meta({ description: "The tenant head's path to the region's tree head" }),
    digest: z
      .object({
        text: z.string().meta({ description: 'The signed heads digest, as stored (RFC 8785)' }),
        signature: z.string().meta({ description: 'ECDSA P-256 over SHA-256 of text, DER, base64' }),
      })
      .meta({ description: 'The newest signed heads digest' }),
  })
  .meta({ id: 'EventProof', description: 'Checked offline by `npm run -s audit -- check-proof proof.json --public-key key.pem`' });
