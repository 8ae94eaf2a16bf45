import * as z from 'zod';
import { dsarLaws } from '../../../domain/dsar/deadlines.ts';
import { dsarStatuses, dsarTypes } from '../../../domain/dsar/vocabulary.ts';
import { dsarResultVariants } from '../../../events/dsar-events.ts';
import { ulidSchema } from '../../../events/envelope.ts';
import { auditProofView } from './audit.ts';
import { emailSchema, text } from './common.ts';

/** Data-subject requests. */

const correctionsBody = z
  .strictObject({
    name: text(200).optional(),
    email: emailSchema().optional(),
    phone: z
      .string()
      .regex(/\S[\s\S]+\S/, 'at least 3 characters')
      .trim()
      .max(40)
      .optional(),
  })
  .meta({ minProperties: 1 });

export const createDsarBody = z
  .strictObject({
    type: z.enum(dsarTypes).meta({ description: 'access (art. 15), export (art. 20), erasure (art. 17) or rectification (art. 16)' }),
    subject: z
      .union([z.strictObject({ email: emailSchema() }), z.strictObject({ requesterId: ulidSchema })])
      .meta({ description: "Who the request is about: an email (found by keyed hash) or a ticket's requester.subjectId" }),
    law: z.enum(dsarLaws).meta({ description: 'Sets dueAt: gdpr one calendar month, ccpa 45 days, pipl 30 days' }),
    notes: z.string().max(4000).optional().meta({ description: "The DPO's notes; stored encrypted" }),
    corrections: correctionsBody.optional().meta({ description: 'For rectification: the corrected contact details; stored encrypted' }),
  })
  .refine((body) => (body.type === 'rectification') === (body.corrections !== undefined), {
    message: 'corrections are given for a rectification, and only for one',
    path: ['corrections'],
  })
  .meta({
    id: 'CreateDsar',
    if: { properties: { type: { const: 'rectification' } }, required: ['type'] },
    then: { properties: { corrections: {} }, required: ['corrections'] },
    else: { not: { properties: { corrections: {} }, required: ['corrections'] } },
  });

export const listDsarsQuery = z.strictObject({
  status: z.enum(dsarStatuses).optional().meta({ description: 'overdue: escalated at dueAt and still open' }),
  type: z.enum(dsarTypes).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

export const dsarIdParams = z.strictObject({ id: ulidSchema.meta({ description: 'Data-subject request id (ULID)' }) });

const dsarResult = z.union(dsarResultVariants);

export const dsarView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    type: z.enum(dsarTypes),
    law: z.enum(dsarLaws),
    subjectId: z.string().nullable().meta({ description: 'Null when no data subject matched: nothing is held on them' }),
    identifiedBy: z.enum(['email', 'requesterId']),
    notes: z.string().nullable(),
    corrections: correctionsBody.nullable(),
    status: z.enum(dsarStatuses),
    requestedAt: z.iso.datetime(),
    dueAt: z.iso.datetime(),
    warnAt: z.iso.datetime().meta({ description: 'When the deadline warning is due (7 days before dueAt)' }),
    warnedAt: z.iso.datetime().nullable(),
    escalatedAt: z.iso.datetime().nullable(),
    fulfilledAt: z.iso.datetime().nullable(),
    result: dsarResult.nullable(),
    history: z.array(z.object({ event: z.string(), at: z.iso.datetime() })),
    version: z.number().int(),
  })
  .meta({ id: 'Dsar' });

export const dsarPage = z.object({ items: z.array(dsarView), nextCursor: z.string().nullable() }).meta({ id: 'DsarPage' });

export const erasureReceiptView = z
  .object({
    receipt: z.literal('meridian-erasure-receipt'),
    version: z.literal(1),
    region: z.string(),
    tenantId: z.string(),
    dsarId: z.string(),
    erasure: z
      .object({ fulfilledAt: z.iso.datetime(), late: z.boolean(), tickets: z.number().int(), subjectErased: z.boolean() })
      .meta({ description: 'What the proven DsarFulfilled event records (check-proof holds this to it)' }),
    ...auditProofView.pick({ head: true, regionTree: true, digest: true }).shape,
    events: z.array(auditProofView.pick({ event: true, entry: true, tenantTree: true })).meta({
      description:
        "DsarFulfilled, then SubjectErased, then each ticket's TicketErased: each with its tenant log entry and Merkle path to head",
    }),
  })
  .meta({ id: 'ErasureReceipt', description: 'Checked offline by `npm run -s audit -- check-proof receipt.json --public-key key.pem`' });
