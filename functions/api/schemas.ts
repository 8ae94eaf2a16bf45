import { z } from 'zod';
import { ianaTimeZones, isTimeZone } from '../../domain/calendar/time-zone.ts';
import { countryCodes } from '../../domain/countries.ts';
import { dsarLaws } from '../../domain/dsar/deadlines.ts';
import { dsarStatuses, dsarTypes } from '../../domain/dsar/vocabulary.ts';
import { type MetricGrouping, metricGroupings } from '../../domain/metrics/support-metrics.ts';
import { homeRegions } from '../../domain/residency.ts';
import { maxRetentionDays } from '../../domain/retention/retention-policy.ts';
import { type IntakeChannel, intakeChannels } from '../../domain/setup/support-setup.ts';
import { slaMetrics } from '../../domain/sla/vocabulary.ts';
import { channels, messageAuthors, ticketPriorities, ticketStatuses } from '../../domain/ticket/vocabulary.ts';
import { ulidSchema } from '../../events/envelope.ts';
import { calendarSchema, routingRuleSchema, setupIdSchema, slaPolicySchema, teamSchema } from '../../events/setup-events.ts';
import { requesterSchema } from '../../events/ticket-events.ts';
import { channelSecrets } from '../shared/channel-secrets.ts';

/** Request and response schemas: the handlers parse with them and the OpenAPI document is made from them. */

const canonicalLocale = (tag: string) => {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
};

/** The codes of `domain/countries.ts`, in any case. */
export const countrySchema = z
  .preprocess(
    (code) => (typeof code === 'string' ? code.toUpperCase() : code),
    z.enum(countryCodes, { error: 'must be an ISO 3166-1 alpha-2 country code' }),
  )
  .meta({ id: 'Country', description: 'ISO 3166-1 alpha-2 (upper case here; lower case is accepted too)', example: 'DE' });
export const localeSchema = z
  .string()
  .max(35)
  .transform((tag, ctx) => canonicalLocale(tag) ?? (ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag' }), z.NEVER))
  .meta({
    description:
      'BCP 47 language tag: language[-Script][-REGION] as the pattern says; other well-formed tags (variants, extensions) are accepted too',
    example: 'de-DE',
    pattern: '^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?$',
  });
export const timeZoneSchema = z.string().max(64).refine(isTimeZone, 'must be an IANA time zone').meta({
  id: 'TimeZone',
  description: "IANA time zone: the runtime's canonical names listed here; their aliases are accepted too",
  example: 'Europe/Berlin',
  enum: ianaTimeZones,
});
const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}_:./-]{0,79}$/u, 'a tag is 1-80 lower-case letters, digits or _:./- and no spaces');
const agentRef = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[^#\s]+$/, 'no spaces or #');
/** An e-mail address as zod checks it; the document carries the same pattern beside format: email. */
const emailSchema = () => z.email().max(254).meta({ pattern: z.regexes.email.source });
/** Free text: surrounding white space is trimmed, and something must be left (the document says so as a pattern). */
const text = (max: number) => z.string().regex(/\S/, 'is not blank').trim().max(max);

export const ticketIdParams = z.strictObject({ id: ulidSchema.meta({ description: 'Ticket id (ULID)' }) });

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

export const createTicketBody = z
  .strictObject({
    subject: text(250),
    description: text(64 * 1024),
    channel: z.enum(channels),
    requester: requesterInput,
    priority: z.enum(ticketPriorities).default('normal'),
    tags: z.array(tagSchema).max(50).default([]),
  })
  .meta({ id: 'CreateTicket' });

export const addMessageBody = z
  .strictObject({
    body: text(64 * 1024),
    from: z.enum(messageAuthors),
    public: z.boolean().default(true).meta({ description: 'false: an internal note, seen by agents only' }),
  })
  .meta({ id: 'AddMessage' });

export const patchTicketBody = z
  .strictObject({
    status: z.enum(ticketStatuses).optional(),
    priority: z.enum(ticketPriorities).optional(),
    assignee: agentRef.nullable().optional().meta({ description: 'Agent id; null unassigns' }),
    team: agentRef.nullable().optional().meta({ description: 'Team id; null clears' }),
    tags: z.array(tagSchema).max(50).optional().meta({ description: 'Replaces the tags' }),
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

export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'an Idempotency-Key is 1-255 visible ASCII characters')
  .meta({ description: 'Repeat a POST safely: same key and body, same answer (kept 24 h)' });

/** If-Match and If-None-Match as RFC 9110 has them: * or a list of entity tags. */
const entityTags = () =>
  z.string().regex(/^(\*|(W\/)?"[\x21\x23-\x7e]*"( *, *(W\/)?"[\x21\x23-\x7e]*")*)$/, 'must be * or a list of entity tags such as "3"');
export const ifMatchSchema = entityTags().meta({
  description: 'The ETag you read (e.g. "3"), a list of them, or *; weak tags never match; 412 if the version moved on',
});
export const ifNoneMatchSchema = entityTags().meta({ description: 'The ETag you hold: 304 while the ticket is still at that version' });

/** A personal value: null once erased (its data key destroyed). */
const erasable = z.string().nullable();

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
    erasedAt: z.iso.datetime().nullable().meta({
      description:
        "When the ticket's data keys were destroyed (a DSAR erasure or the retention policy); its personal fields read null since",
    }),
    version: z.number().int().meta({ description: 'The stream version; the ETag is this number in quotes' }),
  })
  .meta({ id: 'Ticket' });

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
    .meta({ description: 'nextCursor of the previous page (a region log position); absent: from the start' }),
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
        seq: z.number().int().meta({ description: 'Position in the region log' }),
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

const dsarResult = z.union([
  z.object({
    type: z.enum(['access', 'export']),
    tickets: z.number().int(),
    messages: z.number().int(),
    events: z.number().int(),
    bundleSha256: z.string(),
  }),
  z.object({ type: z.literal('erasure'), tickets: z.number().int(), subjectErased: z.boolean() }),
  z.object({ type: z.literal('rectification'), tickets: z.number().int() }),
]);

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

// ---- Support setup: the stored shapes of events/setup-events.ts, the id from the path, defaults filled in. ----

export const setupIdParams = z.strictObject({
  id: setupIdSchema.meta({ description: 'Chosen by the tenant: lower-case letters, digits, - and _' }),
});

export const calendarBody = calendarSchema
  .omit({ id: true })
  .extend({
    name: calendarSchema.shape.name.optional().meta({ description: 'Defaults to the id' }),
    timeZone: timeZoneSchema,
    hours: calendarSchema.shape.hours.meta({
      description:
        'Per weekday, shifts [start, end] in wall-clock time; an end before the start runs overnight and belongs to the day it starts on',
    }),
    holidays: calendarSchema.shape.holidays.default([]),
    specialHours: calendarSchema.shape.specialHours
      .default([])
      .meta({ description: "Periods (local dates, both included) whose hours replace the week's, e.g. Ramadan" }),
  })
  .meta({ id: 'CalendarInput' });
export const calendarView = calendarSchema.meta({ id: 'Calendar' });

export const teamBody = teamSchema
  .omit({ id: true })
  .extend({
    calendarId: teamSchema.shape.calendarId.default(null).meta({ description: 'Null: on shift around the clock' }),
    escalatesTo: teamSchema.shape.escalatesTo
      .default([])
      .meta({ description: 'The follow-the-sun chain: on an SLA breach the ticket goes to the first of these on shift' }),
  })
  .meta({ id: 'TeamInput' });
export const teamView = teamSchema.meta({ id: 'Team' });

const oneOrList = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1).max(20)]).transform((value) => [value].flat() as Array<z.infer<T>>);
export const slaPolicyBody = slaPolicySchema
  .omit({ id: true })
  .extend({
    name: slaPolicySchema.shape.name.optional().meta({ description: 'Defaults to the id' }),
    rank: slaPolicySchema.shape.rank.meta({ description: 'The first matching policy, lowest rank first, applies' }),
    match: z
      .strictObject({
        priority: oneOrList(z.enum(ticketPriorities)).optional(),
        channel: oneOrList(z.enum(channels)).optional(),
        tags: z.array(z.string().min(1).max(100)).max(20).optional(),
      })
      .default({})
      .meta({ description: 'Every condition given must hold; a list means any of its values; all tags must be on the ticket' }),
    targets: slaPolicySchema.shape.targets.meta({
      description: 'ISO 8601 durations (weeks to seconds): firstReply, nextReply, resolution',
    }),
    businessHours: slaPolicySchema.shape.businessHours.meta({
      description: "Count on the assigned team's calendar; otherwise around the clock",
    }),
    onBreach: z
      .strictObject({ raisePriority: z.boolean().default(false), handOff: z.boolean().default(false) })
      .default({ raisePriority: false, handOff: false }),
  })
  .meta({ id: 'SlaPolicyInput' });
export const slaPolicyView = slaPolicySchema.meta({ id: 'SlaPolicy' });

export const routingRuleBody = routingRuleSchema
  .omit({ id: true })
  .extend({
    match: z
      .strictObject({
        channel: oneOrList(z.enum(channels)).optional(),
        language: oneOrList(z.string().regex(/^[A-Za-z]{2,3}$/, 'a language subtag, e.g. ar')).optional(),
        country: oneOrList(z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2')).optional(),
      })
      .meta({ description: "New tickets matching every condition go to the team; language is the requester's locale's" }),
  })
  .meta({ id: 'RoutingRuleInput' });
export const routingRuleView = routingRuleSchema.meta({ id: 'RoutingRule' });

export const listOf = <T extends z.ZodType>(item: T, id: string) => z.object({ items: z.array(item) }).meta({ id });

export const channelParams = z.strictObject({ channel: z.enum(intakeChannels) });
export const channelBody = z
  .strictObject({
    country: countrySchema.meta({ description: "The requesters' country (so their home region) for messages on this channel" }),
    secrets: z.record(z.string(), z.string()).meta({
      description:
        'whatsapp, facebook: {appSecret, verifyToken}; line: {channelSecret}; telegram: {secretToken}; email: {signingKey} (Mailgun webhook signing key)',
    }),
  })
  .meta({ id: 'ChannelConnectionInput' });
/** The body one channel takes, as the document shows it: the handler checks the secrets with the same schema. */
export const channelBodyOf = (channel: IntakeChannel) =>
  channelBody.extend({ secrets: channelSecrets[channel] }).meta({ id: `${channel[0]!.toUpperCase()}${channel.slice(1)}ConnectionInput` });
export const channelView = z
  .object({
    channel: z.enum(intakeChannels),
    country: z.string(),
    secrets: z.array(z.string()).meta({ description: 'The names of the secrets set; never their values' }),
  })
  .meta({ id: 'ChannelConnection' });

export const requesterIdParams = z.strictObject({ id: ulidSchema.meta({ description: "The requester's subjectId (ULID)" }) });
export const linkContactBody = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('email'), value: emailSchema() }),
    z.strictObject({ kind: z.literal('phone'), value: z.string().regex(/^\+[1-9]\d{6,14}$/, 'E.164, e.g. +4915112345678') }),
    z.strictObject({ kind: z.enum(['facebook', 'line', 'telegram']), value: z.string().min(1).max(128) }),
  ])
  .meta({ id: 'ContactInput', description: 'phone also finds WhatsApp messages from that number' });
export const requesterView = z
  .object({
    id: z.string(),
    email: erasable,
    name: erasable,
    phone: erasable.optional(),
    country: z.string(),
    locale: z.string().optional(),
    timeZone: z.string().optional(),
    channels: z.record(z.string(), z.number().int()).meta({ description: 'Tickets per channel' }),
    languages: z.record(z.string(), z.number().int()).meta({ description: 'Tickets per detected language' }),
    tickets: z.array(
      z.object({
        id: z.string(),
        subject: erasable,
        status: z.enum(ticketStatuses),
        channel: z.enum(channels),
        language: z.string().nullable(),
        team: z.string().nullable(),
        createdAt: z.iso.datetime(),
        updatedAt: z.iso.datetime(),
        erasedAt: z.iso.datetime().nullable(),
      }),
    ),
    truncated: z.boolean().meta({ description: 'More than 1000 tickets: the oldest are left out' }),
  })
  .meta({ id: 'Requester' });

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

/** What the metrics period must be beyond each field's shape (the document lists these as x-cross-field). */
export const maxMetricsDays = 366;
export const metricsPeriodRules = {
  ordered: 'to is not before from',
  length: `at most ${maxMetricsDays} days`,
  tickets: 'the period holds too many tickets',
} as const;

export const metricsQuery = z
  .strictObject({
    from: z.iso.date().meta({ description: 'First day (UTC) of ticket creation counted' }),
    to: z.iso.date().meta({ description: 'Last day (UTC), included' }),
    groupBy: z
      .string()
      .optional()
      .transform((text, context) => {
        const names = text ? text.split(',') : [];
        const unknown = names.filter((name) => !(metricGroupings as readonly string[]).includes(name));
        if (unknown.length) context.addIssue({ code: 'custom', message: `group by ${metricGroupings.join(', ')}, comma separated` });
        return [...new Set(names)] as MetricGrouping[];
      })
      .meta({
        description: 'Comma separated: team, channel, country, day',
        pattern: `^((${metricGroupings.join('|')})(,(${metricGroupings.join('|')}))*)?$`,
      }),
  })
  .refine((query) => query.from <= query.to, { path: ['to'], message: metricsPeriodRules.ordered })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= maxMetricsDays * 86_400_000, {
    path: ['to'],
    message: metricsPeriodRules.length,
  });

const metricsGroup = z.object({
  key: z.record(z.string(), z.string().nullable()),
  tickets: z.number().int(),
  firstResponse: z.object({ count: z.number().int(), averageSeconds: z.number().nullable(), medianSeconds: z.number().nullable() }),
  handleTime: z.object({ count: z.number().int(), averageSeconds: z.number().nullable() }),
  resolution: z.object({ solved: z.number().int(), rate: z.number().nullable() }),
  serviceLevel: z.object({ measured: z.number().int(), withinTarget: z.number().int(), rate: z.number().nullable() }),
  csat: z.object({ responses: z.number().int(), averageScore: z.number().nullable(), satisfiedRate: z.number().nullable() }),
  nps: z.object({
    responses: z.number().int(),
    promoters: z.number().int(),
    passives: z.number().int(),
    detractors: z.number().int(),
    score: z.number().nullable(),
  }),
});
export const metricsView = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.array(z.enum(metricGroupings)),
    total: metricsGroup,
    groups: z.array(metricsGroup),
  })
  .meta({ id: 'Metrics' });

export const appReviewImport = z
  .strictObject({
    store: z.enum(['app_store', 'google_play']),
    app: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,200}$/)
      .meta({ description: 'Bundle or package id, e.g. com.acme.shop' }),
    reviews: z
      .array(
        z.strictObject({
          id: z.string().min(1).max(200).meta({ description: "The store's review id" }),
          author: text(200),
          rating: z.number().int().min(1).max(5),
          title: text(500).optional(),
          text: text(16 * 1024),
          language: z
            .string()
            .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
            .optional()
            .meta({ description: 'BCP 47 as the store gives it; detected otherwise' }),
          country: countrySchema.meta({ description: "The storefront country: the requester's home region" }),
        }),
      )
      .min(1)
      .max(100),
  })
  .meta({ id: 'AppReviewImport' });
