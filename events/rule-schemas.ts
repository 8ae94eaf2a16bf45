import * as z from 'zod';
import { isPlaceholder, placeholderPattern } from '../domain/automation/actions.ts';
import {
  type CustomFieldName,
  changeOperators,
  customFieldPrefix,
  listOperators,
  orderOperators,
  presenceOperators,
  timeFields,
  timeOperators,
  valueOperators,
} from '../domain/automation/rules.ts';
import { channels, ticketPriorities, ticketStatuses } from '../domain/ticket/vocabulary.ts';
import { setupIdSchema } from './setup-ids.ts';
import { fieldValueSchema } from './ticket-events.ts';

/**
 * The stored form of triggers, automations and macros (Zendesk's {field, operator, value}
 * conditions and {field, value} actions). Lists may be given as Zendesk writes them, space-separated
 * (`"vip gold"`), and a note as plain text: both are stored as lists and {body, translations}.
 */

/** A plain pattern, not a template literal: JSON Schema then states the key's whole grammar. */
const customField = z
  .string()
  .regex(new RegExp(`^${customFieldPrefix}[a-z][a-z0-9_]{0,63}$`), {
    error: 'custom_fields_<key> of a ticket field',
    abort: true, // so a union of conditions reports the whole condition, not this branch's field
  })
  .transform((field) => field as CustomFieldName);
/** A list item's pattern (no anchors), and the same items as text separated by whitespace. */
const spaced = (item: string, message: string) => {
  const one = z.string().regex(new RegExp(`^${item}$`), message);
  const text = z
    .string()
    .max(2000)
    .regex(new RegExp(`^\\s*${item}(\\s+${item}){0,49}\\s*$`), `${message}, separated by spaces`);
  return z
    .union([text, z.array(one).min(1).max(50)])
    .transform((value) => (typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value))
    .pipe(z.array(one).min(1).max(50));
};
const tags = spaced('\\S{1,100}', 'a tag of 1 to 100 characters without spaces');
const languages = spaced('[A-Za-z]{2,3}', 'a language subtag, e.g. ar');
const countries = spaced('[A-Z]{2}', 'ISO 3166-1 alpha-2');
const agentId = z.string().min(1).max(200);

const condition = <F extends z.ZodType, O extends readonly [string, ...string[]], V extends z.ZodType>(field: F, operators: O, value: V) =>
  z.strictObject({ field, operator: z.enum(operators), value });

/** Conditions on the ticket as it is; `change` adds Zendesk's changed / changed to (value) / changed from (value_previous). */
function ticketConditions<C extends readonly string[]>(change: C) {
  const statusOperators = [...valueOperators, ...orderOperators, ...change] as const;
  return [
    condition(z.literal('status'), statusOperators, z.enum(ticketStatuses)),
    condition(z.literal('priority'), statusOperators, z.enum(ticketPriorities)),
    condition(z.literal('channel'), valueOperators, z.enum(channels)),
    condition(z.literal('tags'), listOperators, tags),
    condition(z.literal('team'), [...valueOperators, ...change] as const, setupIdSchema.nullable()),
    condition(z.literal('assignee'), [...valueOperators, ...change] as const, agentId.nullable()),
    condition(
      customField,
      [...valueOperators, ...orderOperators, ...presenceOperators, ...listOperators, ...change] as const,
      fieldValueSchema.nullable(),
    ),
    condition(z.literal('language'), valueOperators, languages),
    condition(z.literal('requester_country'), valueOperators, countries),
    condition(z.literal('within_business_hours'), ['is'] as const, z.boolean()),
    condition(z.literal('within_schedule'), valueOperators, setupIdSchema),
  ];
}

const changeConditions = [
  condition(z.literal('update_type'), ['is'] as const, z.enum(['create', 'change'])),
  condition(z.literal('role'), valueOperators, z.enum(['end_user', 'agent'])),
  condition(z.literal('comment_is_public'), ['is'] as const, z.boolean()),
];
/** Hours (fractions allowed, to the minute) up to a year. */
const timeCondition = condition(
  z.enum(timeFields),
  timeOperators,
  z
    .number()
    .min(1 / 60)
    .max(8760),
);

export const triggerConditionSchema = z.union([...ticketConditions(changeOperators), ...changeConditions]);
export const automationConditionSchema = z.union([...ticketConditions([] as const), timeCondition]);

const conditionsOf = <C extends z.ZodType>(item: C) =>
  z
    .strictObject({ all: z.array(item).max(50).default([]), any: z.array(item).max(50).default([]) })
    .refine(({ all, any }) => all.length + any.length > 0, 'at least one condition, in all or any');

const messageText = z
  .string()
  .min(1)
  .max(10_000)
  .refine(
    (text) => [...text.matchAll(placeholderPattern)].every(([, name]) => isPlaceholder(name!)),
    'placeholders are {{ticket.id}}, {{ticket.subject}}, {{ticket.status}}, {{ticket.priority}}, {{ticket.channel}}, {{ticket.team}}, ' +
      '{{ticket.assignee}}, {{ticket.created_at}}, {{ticket.requester.name}}, {{ticket.requester.first_name}}, ' +
      '{{ticket.requester.country}}, {{ticket.custom_fields.<key>}}',
  );
const message = z
  .union([
    messageText,
    z.strictObject({
      body: messageText,
      translations: z
        .record(z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag, e.g. pt-BR'), messageText)
        .default({}),
    }),
  ])
  .transform((value) => (typeof value === 'string' ? { body: value, translations: {} } : value));

const action = <F extends z.ZodType, V extends z.ZodType>(field: F, value: V) => z.strictObject({ field, value });
const actionSchemas = [
  action(z.literal('status'), z.enum(ticketStatuses)),
  action(z.literal('priority'), z.enum(ticketPriorities)),
  action(z.literal('team'), setupIdSchema.nullable()),
  action(z.literal('assignee'), agentId.nullable()),
  action(customField, fieldValueSchema.nullable()),
  action(z.literal('add_tags'), tags),
  action(z.literal('remove_tags'), tags),
  action(z.literal('set_tags'), tags),
  action(z.literal('internal_note'), message),
  action(z.literal('notify_webhook'), z.string().min(1).max(64)),
  action(z.literal('sla_policy'), setupIdSchema.nullable()),
];
export const actionSchema = z.union(actionSchemas);
export const macroActionSchema = z.union([...actionSchemas, action(z.literal('public_reply'), message)]);

const title = z.string().min(1).max(200);
const position = z.number().int().min(0).max(1_000_000);
const actions = <A extends z.ZodType>(item: A) => z.array(item).min(1).max(50);

export const triggerSchema = z.strictObject({
  id: setupIdSchema,
  title,
  position,
  active: z.boolean(),
  conditions: conditionsOf(triggerConditionSchema),
  actions: actions(actionSchema),
});

const isTime = (condition: { field: string }) => (timeFields as readonly string[]).includes(condition.field);
const becomesTrue = (condition: { field: string; operator: string }) => isTime(condition) && condition.operator.startsWith('greater_than');

export const automationSchema = z.strictObject({
  id: setupIdSchema,
  title,
  position,
  active: z.boolean(),
  conditions: conditionsOf(automationConditionSchema)
    .refine(({ all }) => all.some(becomesTrue), {
      message:
        'an automation needs a time condition that becomes true, hours_since_… greater_than (or greater_than_business_hours), in all',
      path: ['all'],
    })
    .refine(({ any }) => !any.some(isTime), { message: 'time conditions go in all, not any', path: ['any'] }),
  actions: actions(actionSchema),
});

export const macroSchema = z.strictObject({ id: setupIdSchema, title, actions: actions(macroActionSchema) });
