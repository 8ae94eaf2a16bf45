import * as z from 'zod';
import { shiftTimePattern, weekdays } from '../domain/calendar/calendar.ts';
import { isTimeZone } from '../domain/calendar/time-zone.ts';
import type { SetupEvent } from '../domain/setup/events.ts';
import { intakeChannels, ticketFieldTypes } from '../domain/setup/vocabulary.ts';
import { durationDocumentPattern, durationMs } from '../domain/sla/duration.ts';
import { slaMetrics } from '../domain/sla/vocabulary.ts';
import { fieldReferencePrefix } from '../domain/ticket/fields.ts';
import { channels, ticketPriorities } from '../domain/ticket/vocabulary.ts';
import { eventFormOf, type ParsedEvent, type SameShape } from './event-form.ts';
import { automationSchema, macroSchema, triggerSchema } from './rule-schemas.ts';
import { setupIdSchema } from './setup-ids.ts';

export { setupIdSchema } from './setup-ids.ts';

const shiftTime = z.string().regex(shiftTimePattern, 'a time of day, HH:MM (24:00 may end a shift)');
const shift = z
  .tuple([shiftTime, shiftTime])
  .refine(
    ([start, end]) => start !== end && start !== '24:00',
    'a shift starts before 24:00 and is not empty; an end before the start runs overnight',
  )
  // The same rule as JSON Schema: a start before 24:00, and two different times.
  .meta({
    prefixItems: [
      { type: 'string', pattern: '^(?:[01]\\d|2[0-3]):[0-5]\\d$' },
      { type: 'string', pattern: shiftTimePattern.source },
    ],
    uniqueItems: true,
  });
const weekHours = z.strictObject(
  Object.fromEntries(weekdays.map((day) => [day, z.array(shift).max(8).optional()])) as Record<
    (typeof weekdays)[number],
    z.ZodOptional<z.ZodArray<typeof shift>>
  >,
);
const isoDate = z.iso.date();

export const calendarSchema = z.strictObject({
  id: setupIdSchema,
  name: z.string().min(1).max(200),
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone, e.g. Europe/Berlin'),
  hours: weekHours,
  holidays: z.array(z.strictObject({ date: isoDate, name: z.string().min(1).max(200) })).max(400),
  specialHours: z
    .array(
      z
        .strictObject({ from: isoDate, to: isoDate, hours: weekHours, name: z.string().min(1).max(200) })
        .refine((period) => period.from <= period.to, 'from is not after to'),
    )
    .max(100),
});

export const teamSchema = z.strictObject({
  id: setupIdSchema,
  name: z.string().min(1).max(200),
  calendarId: setupIdSchema.nullable(),
  escalatesTo: z.array(setupIdSchema).max(20),
});

const duration = z
  .string()
  .refine((text) => durationMs(text) !== null, 'an ISO 8601 duration in weeks, days, hours, minutes, seconds, e.g. PT4H')
  // durationMs's grammar, as JSON Schema can say it (no look-ahead): at least one part, a T only before time parts.
  .meta({ pattern: durationDocumentPattern });
const oneOrMore = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(20);

/** Custom field keys are chosen by the tenant: `order_number`, `plan` (usable as `field.plan` in queries). */
export const fieldKeyPattern = /^[a-z][a-z0-9_]{0,63}$/;
export const fieldKeySchema = z.string().regex(fieldKeyPattern, 'a lower-case letter, then letters, digits and _, up to 64');
/** A record keyed by field keys, as JSON Schema says it (zod's record keys do not reach the document). */
export const keyedByField = { propertyNames: { type: 'string', pattern: fieldKeyPattern.source } } as const;
/** A `field.<key>` reference to a custom field (a query's filter, a metrics grouping). */
export const fieldReferencePattern = new RegExp(`^${fieldReferencePrefix.replace('.', '\\.')}${fieldKeyPattern.source.slice(1)}`);
/** Conditions on custom fields: per key, the values that match. */
export const fieldConditionsSchema = z
  .record(
    fieldKeySchema,
    z
      .array(z.union([z.string().max(1000), z.number(), z.boolean()]))
      .min(1)
      .max(50),
  )
  .refine((conditions) => Object.keys(conditions).length <= 20, 'at most 20 fields')
  .meta({ ...keyedByField, maxProperties: 20 });

export const ticketFieldSchema = z.strictObject({
  key: fieldKeySchema,
  title: z.string().min(1).max(200),
  type: z.enum(ticketFieldTypes),
  options: z.array(z.string().min(1).max(200)).min(1).max(500).nullable(),
  required: z.boolean(),
  personalData: z.boolean(),
});

export const slaPolicySchema = z.strictObject({
  id: setupIdSchema,
  name: z.string().min(1).max(200),
  rank: z.number().int().min(0).max(1_000_000),
  match: z.strictObject({
    priority: oneOrMore(z.enum(ticketPriorities)).optional(),
    channel: oneOrMore(z.enum(channels)).optional(),
    tags: z.array(z.string().min(1).max(100)).max(20).optional(),
    fields: fieldConditionsSchema.optional(),
  }),
  targets: z.strictObject(
    Object.fromEntries(slaMetrics.map((metric) => [metric, duration.optional()])) as Record<
      (typeof slaMetrics)[number],
      z.ZodOptional<typeof duration>
    >,
  ),
  businessHours: z.boolean(),
  onBreach: z.strictObject({ raisePriority: z.boolean(), handOff: z.boolean() }),
});

export const routingRuleSchema = z.strictObject({
  id: setupIdSchema,
  rank: z.number().int().min(0).max(1_000_000),
  match: z.strictObject({
    channel: oneOrMore(z.enum(channels)).optional(),
    language: oneOrMore(z.string().regex(/^[A-Za-z]{2,3}$/, 'a language subtag, e.g. ar')).optional(),
    country: oneOrMore(z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2')).optional(),
    fields: fieldConditionsSchema.optional(),
  }),
  team: setupIdSchema,
});

export const channelConnectionSchema = z.strictObject({
  channel: z.enum(intakeChannels),
  country: z.string().regex(/^[A-Z]{2}$/),
  /** The provider's secrets as JSON, sealed with the tenant's channel key (pii:1:...). */
  sealedSecrets: z.string(),
});

/** The payload of every setup event (stream `support-setup#<tenant>`). */
export const setupEventSchemas = {
  CalendarPut: { schemaVersion: 1, data: z.object({ calendar: calendarSchema }) },
  TeamPut: { schemaVersion: 1, data: z.object({ team: teamSchema }) },
  SlaPolicyPut: { schemaVersion: 1, data: z.object({ policy: slaPolicySchema }) },
  SlaPolicyDeleted: { schemaVersion: 1, data: z.object({ id: setupIdSchema }) },
  RoutingRulePut: { schemaVersion: 1, data: z.object({ rule: routingRuleSchema }) },
  RoutingRuleDeleted: { schemaVersion: 1, data: z.object({ id: setupIdSchema }) },
  ChannelConnected: { schemaVersion: 1, data: z.object({ connection: channelConnectionSchema }) },
  TicketFieldPut: { schemaVersion: 1, data: z.object({ field: ticketFieldSchema }) },
  TicketFieldDeleted: { schemaVersion: 1, data: z.object({ key: fieldKeySchema }) },
  TriggerPut: { schemaVersion: 1, data: z.object({ trigger: triggerSchema }) },
  TriggerDeleted: { schemaVersion: 1, data: z.object({ id: setupIdSchema }) },
  AutomationPut: { schemaVersion: 1, data: z.object({ automation: automationSchema }) },
  AutomationDeleted: { schemaVersion: 1, data: z.object({ id: setupIdSchema }) },
  MacroPut: { schemaVersion: 1, data: z.object({ macro: macroSchema }) },
  MacroDeleted: { schemaVersion: 1, data: z.object({ id: setupIdSchema }) },
} as const satisfies Record<SetupEvent['type'], unknown>;

true satisfies SameShape<ParsedEvent<typeof setupEventSchemas>, SetupEvent>;

export const supportSetupStreamId = (tenantId: string): string => `support-setup#${tenantId}`;

export const setupEventForm = eventFormOf<SetupEvent>(setupEventSchemas);
