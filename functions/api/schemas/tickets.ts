import * as z from 'zod';
import { homeRegions } from '../../../domain/residency.ts';
import { slaMetrics } from '../../../domain/sla/vocabulary.ts';
import { attachmentLimits } from '../../../domain/ticket/attachments.ts';
import { maxFieldTextLength } from '../../../domain/ticket/fields.ts';
import {
  channels,
  linkKinds,
  messageAuthors,
  shownLinkKinds,
  ticketPriorities,
  ticketStatuses,
} from '../../../domain/ticket/vocabulary.ts';
import { ulidSchema } from '../../../events/envelope.ts';
import { fieldKeySchema, fieldReferencePattern, keyedByField, setupIdSchema } from '../../../events/setup-events.ts';
import { requesterSchema } from '../../../events/ticket-events.ts';
import { attachmentView, uploadTokenSchema } from './attachments.ts';
import { agentRef, countrySchema, emailSchema, erasable, localeSchema, tagSchema, text, timeZoneSchema } from './common.ts';

/** Tickets, their messages and events, and the requester's survey answers. */

export const ticketIdParams = z.strictObject({ id: ulidSchema.meta({ description: 'Ticket id (ULID)' }) });
export const macroParams = ticketIdParams.extend({ macroId: setupIdSchema.meta({ description: "One of the tenant's macros" }) });

/** A custom field value as a request gives it; its field says which of these it must be. */
const fieldValueInput = z
  .union([z.string().max(maxFieldTextLength), z.number(), z.boolean(), z.array(z.string().max(200)).max(500)])
  .meta({ description: 'text, number, date (YYYY-MM-DD), checkbox (true/false), dropdown (an option), multiselect (a list of options)' });

export const requesterInput = z.strictObject({
  email: emailSchema(),
  name: text(200),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +4930123456')
    .optional()
    .meta({ description: 'E.164', example: '+4930123456' }),
  country: countrySchema,
  locale: localeSchema.optional(),
  timeZone: timeZoneSchema.optional(),
});

/** Upload tokens (POST /v1/uploads), at most a message's files. */
const uploadTokens = z
  .array(uploadTokenSchema)
  .max(attachmentLimits.filesPerMessage)
  .default([])
  .meta({
    description: `Tokens from POST /v1/uploads; at most ${attachmentLimits.filesPerMessage} files, together at most ${attachmentLimits.bytesPerMessage} bytes`,
  });

export const createTicketBody = z
  .strictObject({
    subject: text(250),
    description: text(64 * 1024),
    channel: z.enum(channels),
    requester: requesterInput,
    priority: z.enum(ticketPriorities).default('normal'),
    tags: z.array(tagSchema).max(50).default([]),
    fields: z
      .record(fieldKeySchema, fieldValueInput)
      .default({})
      .meta({
        ...keyedByField,
        description: "Custom field values by key, checked against the tenant's ticket fields (GET /v1/ticket-fields)",
      }),
    attachments: uploadTokens,
  })
  .meta({ id: 'CreateTicket' });

export const addMessageBody = z
  .strictObject({
    body: text(64 * 1024),
    from: z.enum(messageAuthors),
    public: z.boolean().default(true).meta({ description: 'false: an internal note, seen by agents only' }),
    attachments: uploadTokens,
  })
  .meta({ id: 'AddMessage' });

export const patchTicketBody = z
  .strictObject({
    status: z.enum(ticketStatuses).optional(),
    priority: z.enum(ticketPriorities).optional(),
    assignee: agentRef.nullable().optional().meta({ description: 'Agent id; null unassigns' }),
    team: agentRef.nullable().optional().meta({ description: 'Team id; null clears' }),
    tags: z.array(tagSchema).max(50).optional().meta({ description: 'Replaces the tags' }),
    fields: z
      .record(fieldKeySchema, fieldValueInput.nullable())
      .optional()
      .meta({ ...keyedByField, description: 'Custom field values to set; null clears one; fields not named keep theirs' }),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'name at least one field to change')
  .meta({ id: 'PatchTicket', minProperties: 1 });

export const listTicketsQuery = z.strictObject({
  status: z.enum(ticketStatuses).optional(),
  team: agentRef.optional(),
  assignee: agentRef.optional(),
  requester: ulidSchema.optional().meta({ description: "The requester's subjectId: every ticket of one data subject" }),
  requesterEmail: emailSchema()
    .optional()
    .meta({ description: 'Every ticket of the requester with this email, found by keyed hash; the email is not stored' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

/** The list query as the handler reads it: the named parameters, and any number of field filters. */
export const listTicketsQueryWithFields = z
  .object(listTicketsQuery.shape)
  .catchall(z.string().max(1000))
  .superRefine((query, context) => {
    for (const name of Object.keys(query)) {
      if (!(name in listTicketsQuery.shape) && !fieldReferencePattern.test(name))
        context.addIssue({ code: 'custom', path: [name], message: 'not a parameter of this operation (custom fields: field.<key>)' });
    }
  });

export const ticketView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    subject: erasable,
    description: erasable,
    channel: z.enum(channels),
    language: z.string().nullable().meta({ description: "The description's language, detected (BCP 47)" }),
    direction: z.enum(['ltr', 'rtl']),
    // As the events carry it: sealed values (pii:1:...) for callers who may not read personal data.
    requester: requesterSchema.extend({
      subjectId: z.string().nullable().meta({ description: 'The data subject (for DSARs); null on tickets from before subjects' }),
      email: erasable,
      name: erasable,
      phone: erasable.optional(),
    }),
    homeRegion: z.enum(homeRegions).meta({ description: "Where the requester's data lives; the ticket exists in this region only" }),
    status: z.enum(ticketStatuses),
    priority: z.enum(ticketPriorities),
    assignee: z.string().nullable(),
    team: z.string().nullable(),
    tags: z.array(z.string()),
    fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).nullable()).meta({
      description:
        'Custom field values by key; personal ones are sealed (pii:1:...) for roles that may not read personal data, and null once erased',
    }),
    messageCount: z.number().int(),
    lastMessageAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    closedAt: z.iso.datetime().nullable().meta({ description: 'When it was closed; retention counts from here' }),
    firstRepliedAt: z.iso.datetime().nullable().meta({ description: 'The first public agent reply' }),
    firstReplyWithinSla: z.boolean().nullable().meta({ description: 'Whether it came by the first-reply target (null: no target)' }),
    solvedAt: z.iso.datetime().nullable().meta({ description: 'When it was first solved' }),
    satisfaction: z
      .object({ score: z.number().int(), comment: erasable, at: z.iso.datetime() })
      .nullable()
      .meta({ description: 'CSAT answer, 1-5' }),
    nps: z
      .object({ score: z.number().int(), comment: erasable, at: z.iso.datetime() })
      .nullable()
      .meta({ description: 'NPS answer, 0-10' }),
    awaitingReplySince: z.iso.datetime().nullable().meta({ description: 'Since when the requester waits for a public agent reply' }),
    resolutionPauses: z
      .array(z.object({ from: z.iso.datetime(), to: z.iso.datetime().nullable() }))
      .meta({ description: 'When the resolution clock stood: pending, on hold, solved; the last may be open' }),
    sla: z
      .object({
        policyId: z.string().nullable(),
        firstReplyDueAt: z.iso.datetime().nullable(),
        nextReplyDueAt: z.iso.datetime().nullable(),
        resolutionDueAt: z.iso.datetime().nullable(),
        pausedSince: z.iso.datetime().nullable().meta({ description: 'The resolution clock stands (pending, on hold) since' }),
        breaches: z.array(z.object({ metric: z.enum(slaMetrics), dueAt: z.iso.datetime(), breachedAt: z.iso.datetime() })),
      })
      .nullable()
      .meta({ description: 'The SLA clocks; a due time is null when met, paused or not targeted; null while no policy ever applied' }),
    mergedInto: z
      .string()
      .nullable()
      .meta({ description: 'The ticket this one was merged into (it is closed since, and takes no writes)' }),
    mergedFrom: z.array(z.string()).meta({ description: 'The tickets merged into this one; their messages are listed with its own' }),
    links: z
      .array(z.object({ ticketId: z.string(), kind: z.enum(shownLinkKinds) }))
      .meta({ description: 'Linked tickets, as this one shows them (the other end of a caused-by link shows causes)' }),
    erasedAt: z.iso.datetime().nullable().meta({
      description:
        "When the ticket's data keys were destroyed (a DSAR erasure or the retention policy); its personal fields read null since",
    }),
    statusChangedAt: z.iso.datetime().optional().meta({ description: 'When the status last changed (created, before)' }),
    lastRequesterMessageAt: z.iso.datetime().optional().meta({ description: 'When the requester last wrote (the description counts)' }),
    lastAgentReplyAt: z.iso.datetime().nullable().optional().meta({ description: 'When an agent last replied in public' }),
    slaPolicyId: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'The SLA policy a trigger, automation or macro applied; null: the first matching policy applies' }),
    automations: z
      .object({
        due: z.record(z.string(), z.iso.datetime()).meta({ description: 'Per automation, when it becomes true (its timer)' }),
        fired: z.record(z.string(), z.iso.datetime()).meta({ description: 'Per automation, the moment it last fired for' }),
      })
      .optional(),
    version: z.number().int().meta({ description: 'The stream version; the ETag is this number in quotes' }),
  })
  .meta({
    id: 'Ticket',
    description: 'statusChangedAt … automations are absent on views stored before automations until `npm run rebuild-views`',
  });

export const messageView = z
  .object({
    id: z.string(),
    ticketId: z.string(),
    from: z.enum(messageAuthors),
    authorId: z.string(),
    body: erasable,
    public: z.boolean(),
    language: z.string().nullable().meta({ description: 'Detected, BCP 47 (null when too short to tell, or stored before detection)' }),
    direction: z.enum(['ltr', 'rtl']).meta({ description: 'As dir="auto": by the first letter' }),
    attachments: z.array(attachmentView),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Message' });

export const ticketPage = z.object({ items: z.array(ticketView), nextCursor: z.string().nullable() }).meta({ id: 'TicketPage' });

export const eventView = z
  .object({
    eventId: z.string(),
    streamId: z.string(),
    version: z.number().int(),
    type: z.string(),
    schemaVersion: z.number().int(),
    occurredAt: z.iso.datetime(),
    recordedAt: z.iso.datetime(),
    region: z.string(),
    tenantId: z.string(),
    actor: z.object({ type: z.enum(['user', 'system']), id: z.string() }),
    correlationId: z.string(),
    causationId: z.string(),
    data: z.record(z.string(), z.unknown()),
    prevHash: z.string().meta({ description: "The previous version's hash; 64 zeros for version 1" }),
    hash: z.string().meta({ description: 'SHA-256 (hex) of the RFC 8785 form of the stored record without hash' }),
  })
  .meta({ id: 'Event' });

export const eventList = z.object({ items: z.array(eventView) }).meta({ id: 'EventList' });
export const messageList = z.object({ items: z.array(messageView) }).meta({ id: 'MessageList' });

export const satisfactionBody = z
  .strictObject({
    score: z.number().int().min(1).max(5).meta({ description: '1 (very unsatisfied) to 5 (very satisfied)' }),
    comment: text(4000).optional(),
  })
  .meta({ id: 'SatisfactionInput' });
export const npsBody = z
  .strictObject({
    score: z.number().int().min(0).max(10).meta({ description: 'How likely to recommend, 0-10' }),
    comment: text(4000).optional(),
  })
  .meta({ id: 'NpsInput' });

/** How many tickets one merge takes in. */
export const maxMergeSources = 25;
export const mergeBody = z
  .strictObject({
    sourceIds: z
      .array(ulidSchema)
      .min(1)
      .max(maxMergeSources)
      .meta({ description: 'The tickets to merge into this one (same tenant and region); each is closed with mergedInto' }),
  })
  .meta({ id: 'MergeTickets' });

export const linkBody = z
  .strictObject({
    ticketId: ulidSchema.meta({ description: 'The ticket to link to (same tenant and region)' }),
    kind: z.enum(linkKinds).meta({ description: 'As this ticket shows it; the other shows the reverse (caused-by: causes)' }),
  })
  .meta({ id: 'LinkTicket' });

export const linkParams = z.strictObject({
  id: ulidSchema.meta({ description: 'Ticket id (ULID)' }),
  linkedId: ulidSchema.meta({ description: 'The linked ticket id (ULID)' }),
});

export const macroPreview = z
  .object({
    ticket: ticketView,
    events: z
      .array(
        z.object({
          type: z.string(),
          causedBy: z
            .string()
            .nullable()
            .meta({ description: 'The rule that would cause it: macro:<id>, trigger:<id>; null for SLA planning' }),
        }),
      )
      .meta({ description: 'What applying it would append, in order' }),
  })
  .meta({ id: 'MacroPreview' });
