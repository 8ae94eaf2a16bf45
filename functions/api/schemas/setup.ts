import * as z from 'zod';
import { personalFieldTypes } from '../../../domain/setup/vocabulary.ts';
import { channels, ticketPriorities } from '../../../domain/ticket/vocabulary.ts';
import { automationSchema, macroSchema, triggerSchema } from '../../../events/rule-schemas.ts';
import {
  calendarSchema,
  fieldConditionsSchema,
  fieldKeySchema,
  routingRuleSchema,
  setupIdSchema,
  slaPolicySchema,
  teamSchema,
  ticketFieldSchema,
} from '../../../events/setup-events.ts';
import { timeZoneSchema } from './common.ts';

/** Support setup: the stored shapes of events/setup-events.ts, the id from the path, defaults filled in. */

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

const fieldConditions = fieldConditionsSchema.meta({
  description: 'Per custom field key, the values that match (a multiselect matches on any of its options); every field listed must match',
});

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
        fields: fieldConditions.optional(),
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

/** The rules a ticket field's definition must follow beyond each property's shape. */
export const ticketFieldRules = {
  options: 'a dropdown or multiselect lists its options; the other types have none',
  personalData: 'only text and date fields can hold personal data',
} as const;

export const ticketFieldBody = ticketFieldSchema
  .omit({ key: true })
  .extend({
    title: ticketFieldSchema.shape.title.optional().meta({ description: 'Defaults to the key' }),
    options: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(500)
      .optional()
      .meta({ description: 'The choices of a dropdown or multiselect (required for those, refused for the others)' }),
    required: z.boolean().default(false).meta({ description: 'Tickets opened through the API must have it, and it cannot be cleared' }),
    personalData: z
      .boolean()
      .default(false)
      .meta({ description: "Text and date fields only: sealed with the ticket's key like the requester's name, and gone after erasure" }),
  })
  .superRefine((field, context) => {
    const listed = field.type === 'dropdown' || field.type === 'multiselect';
    if (listed !== (field.options !== undefined))
      context.addIssue({ code: 'custom', path: ['options'], message: ticketFieldRules.options });
    if (field.personalData && !personalFieldTypes.includes(field.type))
      context.addIssue({ code: 'custom', path: ['personalData'], message: ticketFieldRules.personalData });
  })
  .meta({ id: 'TicketFieldInput' });
export const ticketFieldView = ticketFieldSchema.meta({ id: 'TicketField' });
export const ticketFieldParams = z.strictObject({
  key: fieldKeySchema.meta({ description: 'Chosen by the tenant: a lower-case letter, then letters, digits and _' }),
});

export const routingRuleBody = routingRuleSchema
  .omit({ id: true })
  .extend({
    match: z
      .strictObject({
        channel: oneOrList(z.enum(channels)).optional(),
        language: oneOrList(z.string().regex(/^[A-Za-z]{2,3}$/, 'a language subtag, e.g. ar')).optional(),
        country: oneOrList(z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2')).optional(),
        fields: fieldConditions.optional(),
      })
      .meta({ description: "New tickets matching every condition go to the team; language is the requester's locale's" }),
  })
  .meta({ id: 'RoutingRuleInput' });
export const routingRuleView = routingRuleSchema.meta({ id: 'RoutingRule' });

const ruleFields = {
  title: z.string().min(1).max(200).optional().meta({ description: 'Defaults to the id' }),
  position: z.number().int().min(0).max(1_000_000).default(0).meta({ description: 'Lowest first; equal positions by id' }),
  active: z.boolean().default(true),
};
const conditionsDescription =
  "Zendesk's shape: every condition in all must hold, and one of any when it lists some. A condition is {field, operator, value}; " +
  'custom fields are custom_fields_<key>; tags, language and requester_country take a list or a space-separated text.';

export const triggerBody = triggerSchema
  .omit({ id: true })
  .extend({
    ...ruleFields,
    conditions: triggerSchema.shape.conditions.meta({
      description: `${conditionsDescription} Triggers may also ask about the change: update_type (create, change), role (end_user, agent), comment_is_public, and changed / value (changed to) / value_previous (changed from) and their not_ forms.`,
    }),
    actions: triggerSchema.shape.actions.meta({
      description:
        'Applied in order, in the same write as the change: status, priority, team, assignee, custom_fields_<key>, add_tags, remove_tags, set_tags, internal_note (text or {body, translations}, with {{ticket.…}} placeholders), notify_webhook (a subscription id), sla_policy',
    }),
  })
  .meta({ id: 'TriggerInput' });
export const triggerView = triggerSchema.meta({ id: 'Trigger' });

export const automationBody = automationSchema
  .omit({ id: true })
  .extend({
    ...ruleFields,
    conditions: automationSchema.shape.conditions.meta({
      description: `${conditionsDescription} At least one hours_since_… greater_than (or greater_than_business_hours, on the team's calendar) in all: created, status_changed, pending, solved, requester_message, agent_message; value in hours.`,
    }),
  })
  .meta({ id: 'AutomationInput' });
export const automationView = automationSchema.meta({ id: 'Automation' });

export const macroBody = macroSchema
  .omit({ id: true })
  .extend({
    title: ruleFields.title,
    actions: macroSchema.shape.actions.meta({ description: "A trigger's actions, and public_reply (text or {body, translations})" }),
  })
  .meta({ id: 'MacroInput' });
export const macroView = macroSchema.meta({ id: 'Macro' });
