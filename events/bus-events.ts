import * as z from 'zod';
import { dsarLaws } from '../domain/dsar/deadlines.ts';
import type { DsarEventType } from '../domain/dsar/events.ts';
import { dsarTypes } from '../domain/dsar/vocabulary.ts';
import { homeRegions } from '../domain/residency.ts';
import { slaMetrics } from '../domain/sla/vocabulary.ts';
import { attachmentTypes } from '../domain/ticket/attachments.ts';
import type { TicketEvent, TicketEventType } from '../domain/ticket/events.ts';
import { channels, messageAuthors, shownLinkKinds, ticketPriorities, ticketStatuses } from '../domain/ticket/vocabulary.ts';
import { dsarEventForm } from './dsar-events.ts';
import type { StoredEvent } from './envelope.ts';
import { fieldValueSchema } from './ticket-events.ts';
import { upcast } from './upcasters.ts';

/**
 * The EventBridge contract: what leaves a region's event store. Ids, types, timestamps and the
 * facts SLA and routing need; never a name, contact, subject line or message text. Each detail is
 * built field by field from an allow-list and checked by a strict schema, so a field added to an
 * event does not leak by default.
 */
export const busSource = 'meridian.tickets';

const common = {
  eventId: z.string(),
  ticketId: z.string(),
  tenantId: z.string(),
  version: z.number().int(),
  occurredAt: z.iso.datetime(),
  region: z.string(),
};

export const busDetailSchemas = {
  TicketOpened: z.strictObject({
    ...common,
    channel: z.enum(channels),
    priority: z.enum(ticketPriorities),
    homeRegion: z.enum(homeRegions),
    requesterCountry: z.string().length(2),
    requesterTimeZone: z.string().optional(),
  }),
  MessageAdded: z.strictObject({
    ...common,
    messageId: z.string(),
    from: z.enum(messageAuthors),
    public: z.boolean(),
    // The files, without their names (personal data): GET /v1/attachments/{id} gives them to whom may read them.
    attachments: z.array(z.strictObject({ id: z.string(), contentType: z.enum(attachmentTypes), size: z.number().int() })),
  }),
  StatusChanged: z.strictObject({ ...common, from: z.enum(ticketStatuses), to: z.enum(ticketStatuses) }),
  TicketAssigned: z.strictObject({ ...common, assignee: z.string().nullable(), team: z.string().nullable() }),
  PriorityChanged: z.strictObject({ ...common, from: z.enum(ticketPriorities), to: z.enum(ticketPriorities) }),
  TagsSet: z.strictObject({ ...common, tags: z.array(z.string()) }),
  FieldsSet: z.strictObject({
    ...common,
    values: z.record(z.string(), fieldValueSchema.nullable()),
    personalFields: z.array(z.string()),
  }),
  TicketErased: z.strictObject({
    ...common,
    reason: z.enum(['dsar_erasure', 'retention']),
    dsarId: z.string().nullable(),
    retentionDays: z.number().int().nullable(),
  }),
  RequesterRectified: z.strictObject({ ...common, dsarId: z.string() }),
  SlaTargetsSet: z.strictObject({
    ...common,
    policyId: z.string().nullable(),
    firstReplyDueAt: z.iso.datetime().nullable(),
    nextReplyDueAt: z.iso.datetime().nullable(),
    resolutionDueAt: z.iso.datetime().nullable(),
    pausedSince: z.iso.datetime().nullable(),
  }),
  SatisfactionRated: z.strictObject({ ...common, score: z.number().int() }),
  NpsRated: z.strictObject({ ...common, score: z.number().int() }),
  SlaBreached: z.strictObject({ ...common, metric: z.enum(slaMetrics), dueAt: z.iso.datetime() }),
  TicketEscalated: z.strictObject({
    ...common,
    fromTeam: z.string().nullable(),
    toTeam: z.string(),
    reason: z.literal('sla_breach'),
    metric: z.enum(slaMetrics),
  }),
  MergedInto: z.strictObject({ ...common, target: z.string() }),
  MergedTicketsTaken: z.strictObject({ ...common, sources: z.array(z.string()) }),
  TicketLinked: z.strictObject({ ...common, linkedTicketId: z.string(), kind: z.enum(shownLinkKinds) }),
  TicketUnlinked: z.strictObject({ ...common, linkedTicketId: z.string() }),
  SlaPolicyApplied: z.strictObject({ ...common, policyId: z.string().nullable() }),
  /** Delivered to the named webhook subscription only, whatever its filter; with the facts a receiver usually routes on. */
  WebhookNotified: z.strictObject({
    ...common,
    webhookId: z.string(),
    status: z.enum(ticketStatuses),
    priority: z.enum(ticketPriorities),
    team: z.string().nullable(),
    assignee: z.string().nullable(),
    tags: z.array(z.string()),
  }),
  AutomationsPlanned: z.strictObject({
    ...common,
    due: z.array(z.strictObject({ automationId: z.string(), dueAt: z.iso.datetime() })),
  }),
  AutomationFired: z.strictObject({ ...common, automationId: z.string(), dueAt: z.iso.datetime() }),
} satisfies Record<TicketEventType, z.ZodType>;

/** DSAR events: which request, of what kind, under which law, due when. Never the subject or the notes. */
export const dsarBusSource = 'meridian.dsar';
const dsarCommon = {
  eventId: z.string(),
  dsarId: z.string(),
  tenantId: z.string(),
  version: z.number().int(),
  occurredAt: z.iso.datetime(),
  region: z.string(),
};
export const dsarBusDetailSchemas = {
  DsarRequested: z.strictObject({
    ...dsarCommon,
    requestType: z.enum(dsarTypes),
    law: z.enum(dsarLaws),
    dueAt: z.iso.datetime(),
    warnAt: z.iso.datetime(),
  }),
  DsarDeadlineWarned: z.strictObject({ ...dsarCommon, dueAt: z.iso.datetime() }),
  DsarEscalated: z.strictObject({ ...dsarCommon, dueAt: z.iso.datetime() }),
  DsarFulfilled: z.strictObject({ ...dsarCommon, requestType: z.enum(dsarTypes), late: z.boolean() }),
} satisfies Record<DsarEventType, z.ZodType>;

export type BusEvent =
  | { source: typeof busSource; detailType: TicketEventType; detail: Record<string, unknown> }
  | { source: typeof dsarBusSource; detailType: DsarEventType; detail: Record<string, unknown> };

/** The facts of each event type that may leave the store (the rest of the payload stays). */
const allowedFacts = (event: TicketEvent): Record<string, unknown> => {
  switch (event.type) {
    case 'TicketOpened': {
      const { channel, priority, homeRegion, requester } = event.data;
      return { channel, priority, homeRegion, requesterCountry: requester.country, requesterTimeZone: requester.timeZone };
    }
    case 'MessageAdded':
      return {
        messageId: event.data.messageId,
        from: event.data.from,
        public: event.data.public,
        attachments: event.data.attachments.map(({ id, contentType, size }) => ({ id, contentType, size })),
      };
    case 'RequesterRectified':
      return { dsarId: event.data.dsarId };
    case 'SatisfactionRated':
    case 'NpsRated':
      return { score: event.data.score };
    // ticketId names the ticket the event happened to; the other one is the linked ticket.
    // Values of fields the tenant marked personal stay in the store: only their keys leave.
    case 'FieldsSet':
      return { values: event.data.values, personalFields: Object.keys(event.data.personal) };
    case 'TicketLinked':
      return { linkedTicketId: event.data.ticketId, kind: event.data.kind };
    case 'TicketUnlinked':
      return { linkedTicketId: event.data.ticketId };
    default:
      return event.data;
  }
};

/** A stored event as the bus carries it, or null for streams that stay in the store (auditor reads, subjects). */
export function toBusEvent(stored: StoredEvent): BusEvent | null {
  if (stored.streamId.startsWith('ticket#')) return ticketBusEvent(stored);
  if (stored.streamId.startsWith('dsar#')) return dsarBusEvent(stored);
  return null;
}

function dsarBusEvent(stored: StoredEvent): BusEvent {
  const event = dsarEventForm.read(stored);
  const facts =
    event.type === 'DsarRequested'
      ? { requestType: event.data.requestType, law: event.data.law, dueAt: event.data.dueAt, warnAt: event.data.warnAt }
      : event.type === 'DsarFulfilled'
        ? { requestType: event.data.result.type, late: event.data.late }
        : { dueAt: event.data.dueAt };
  const detail = dsarBusDetailSchemas[event.type].parse({
    eventId: stored.eventId,
    dsarId: stored.streamId.slice('dsar#'.length),
    tenantId: stored.tenantId,
    version: stored.version,
    occurredAt: stored.occurredAt,
    region: stored.region,
    ...facts,
  });
  return { source: dsarBusSource, detailType: event.type, detail };
}

/** A stored ticket event as the bus carries it. Works on sealed events: no key is needed or used. */
function ticketBusEvent(stored: StoredEvent): BusEvent {
  const event = upcast(stored);
  const detail = busDetailSchemas[event.type].parse({
    eventId: stored.eventId,
    ticketId: stored.streamId.slice('ticket#'.length),
    tenantId: stored.tenantId,
    version: stored.version,
    occurredAt: stored.occurredAt,
    region: stored.region,
    ...allowedFacts(event),
  });
  return { source: busSource, detailType: event.type, detail };
}
