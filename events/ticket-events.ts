import * as z from 'zod';
import { homeRegions } from '../domain/residency.ts';
import { slaMetrics } from '../domain/sla/vocabulary.ts';
import { attachmentTypes } from '../domain/ticket/attachments.ts';
import type { TicketEvent, TicketEventType } from '../domain/ticket/events.ts';
import { channels, messageAuthors, shownLinkKinds, ticketPriorities, ticketStatuses } from '../domain/ticket/vocabulary.ts';
import type { ParsedEvent, SameShape } from './event-form.ts';

/**
 * The payload ("data") of every ticket event, one schema per type at its current schemaVersion.
 * Older versions are upcast on read (see upcasters.ts); the store is never rewritten.
 */
/**
 * A personal value: a string as written (sealed in the store), or null when read after its data key
 * was destroyed (erasure, retention). Nothing writes null; reading must not fail on it.
 */
const personal = z.string().nullable();

export const requesterSchema = z.object({
  subjectId: z.string().nullable(),
  email: personal,
  name: personal,
  phone: personal.optional(),
  country: z.string(),
  locale: z.string().optional(),
  timeZone: z.string().optional(),
});

/** A custom field's value, as ticket fields allow them (domain/ticket/fields.ts checks it against its field). */
export const fieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

/** A file on a message; its name is personal data (sealed with the ticket's key). */
export const attachmentSchema = z.object({
  id: z.string(),
  filename: personal,
  contentType: z.enum(attachmentTypes),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** The language written in (BCP 47, detected; null when the text is too short to tell) and its direction. */
const localised = { language: z.string().nullable(), direction: z.enum(['ltr', 'rtl']) };

export const ticketEventSchemas = {
  TicketOpened: {
    schemaVersion: 3,
    data: z.object({
      ticketId: z.string(),
      subject: personal,
      description: personal,
      channel: z.enum(channels),
      requester: requesterSchema,
      homeRegion: z.enum(homeRegions),
      priority: z.enum(ticketPriorities),
      tags: z.array(z.string()),
      ...localised,
    }),
  },
  MessageAdded: {
    schemaVersion: 4,
    data: z.object({
      messageId: z.string(),
      from: z.enum(messageAuthors),
      authorId: z.string(),
      body: personal,
      public: z.boolean(),
      ...localised,
      attachments: z.array(attachmentSchema),
    }),
  },
  StatusChanged: {
    schemaVersion: 1,
    data: z.object({ from: z.enum(ticketStatuses), to: z.enum(ticketStatuses) }),
  },
  TicketAssigned: {
    schemaVersion: 1,
    data: z.object({ assignee: z.string().nullable(), team: z.string().nullable() }),
  },
  PriorityChanged: {
    schemaVersion: 1,
    data: z.object({ from: z.enum(ticketPriorities), to: z.enum(ticketPriorities) }),
  },
  TagsSet: {
    schemaVersion: 1,
    data: z.object({ tags: z.array(z.string()) }),
  },
  /** Custom field values (null clears); personal ones apart, sealed with the ticket's key. */
  FieldsSet: {
    schemaVersion: 1,
    data: z.object({ values: z.record(z.string(), fieldValueSchema.nullable()), personal: z.record(z.string(), personal) }),
  },
  /** The ticket's data keys were destroyed: who asked (a DSAR or the retention policy) is the evidence. */
  TicketErased: {
    schemaVersion: 1,
    data: z.object({
      reason: z.enum(['dsar_erasure', 'retention']),
      dsarId: z.string().nullable(),
      retentionDays: z.number().int().nullable(),
    }),
  },
  /** Corrected contact details of the requester (sealed like the originals), from a rectification request. */
  RequesterRectified: {
    schemaVersion: 1,
    data: z.object({ dsarId: z.string(), name: personal.optional(), email: personal.optional(), phone: personal.optional() }),
  },
  /** Where the SLA clocks stand after a change: the matching policy and each target's due time. */
  SlaTargetsSet: {
    schemaVersion: 1,
    data: z.object({
      policyId: z.string().nullable(),
      firstReplyDueAt: z.iso.datetime().nullable(),
      nextReplyDueAt: z.iso.datetime().nullable(),
      resolutionDueAt: z.iso.datetime().nullable(),
      pausedSince: z.iso.datetime().nullable(),
    }),
  },
  /** The requester's satisfaction with the solved ticket, 1-5 (CSAT); the comment is theirs, sealed. */
  SatisfactionRated: { schemaVersion: 1, data: z.object({ score: z.number().int().min(1).max(5), comment: personal }) },
  /** How likely the requester is to recommend, 0-10 (NPS). */
  NpsRated: { schemaVersion: 1, data: z.object({ score: z.number().int().min(0).max(10), comment: personal }) },
  /** A target's timer fired and found it unmet. */
  SlaBreached: {
    schemaVersion: 1,
    data: z.object({ metric: z.enum(slaMetrics), dueAt: z.iso.datetime() }),
  },
  /** Handed to the next team of the follow-the-sun chain that is on shift. */
  TicketEscalated: {
    schemaVersion: 1,
    data: z.object({ fromTeam: z.string().nullable(), toTeam: z.string(), reason: z.literal('sla_breach'), metric: z.enum(slaMetrics) }),
  },
  /** Merged into another ticket (the target): closed, and every later write is refused with the target's id. */
  MergedInto: { schemaVersion: 1, data: z.object({ target: z.string() }) },
  /** Tickets merged into this one: their messages are read from here, in time order. */
  MergedTicketsTaken: { schemaVersion: 1, data: z.object({ sources: z.array(z.string()) }) },
  /** Linked to another ticket; `kind` as this ticket shows it (the other shows the reverse). */
  TicketLinked: { schemaVersion: 1, data: z.object({ ticketId: z.string(), kind: z.enum(shownLinkKinds) }) },
  TicketUnlinked: { schemaVersion: 1, data: z.object({ ticketId: z.string() }) },
  SlaPolicyApplied: { schemaVersion: 1, data: z.object({ policyId: z.string().nullable() }) },
  WebhookNotified: {
    schemaVersion: 1,
    data: z.object({
      webhookId: z.string(),
      status: z.enum(ticketStatuses),
      priority: z.enum(ticketPriorities),
      team: z.string().nullable(),
      assignee: z.string().nullable(),
      tags: z.array(z.string()),
    }),
  },
  AutomationsPlanned: {
    schemaVersion: 1,
    data: z.object({ due: z.array(z.object({ automationId: z.string(), dueAt: z.iso.datetime() })) }),
  },
  AutomationFired: { schemaVersion: 1, data: z.object({ automationId: z.string(), dueAt: z.iso.datetime() }) },
} as const satisfies Record<TicketEventType, unknown>;

true satisfies SameShape<ParsedEvent<typeof ticketEventSchemas>, TicketEvent>;

export const ticketEventTypes = Object.keys(ticketEventSchemas) as TicketEventType[];
