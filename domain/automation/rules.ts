import type { FieldValue } from '../ticket/fields.ts';
import type { Channel, TicketPriority, TicketStatus } from '../ticket/vocabulary.ts';

/**
 * Triggers, automations and macros, in Zendesk's shape so rules port over: a condition is
 * {field, operator, value}, an action {field, value}. Custom fields are `custom_fields_<key>`.
 */

/** How a value compares: `value` is Zendesk's "changed to", `value_previous` its "changed from". */
export const valueOperators = ['is', 'is_not'] as const;
export const orderOperators = ['less_than', 'greater_than'] as const;
export const changeOperators = ['changed', 'value', 'value_previous', 'not_changed', 'not_value', 'not_value_previous'] as const;
export const presenceOperators = ['present', 'not_present'] as const;
export const listOperators = ['includes', 'not_includes'] as const;
export type ValueOperator = (typeof valueOperators)[number];
export type OrderOperator = (typeof orderOperators)[number];
export type ChangeOperator = (typeof changeOperators)[number];
export type PresenceOperator = (typeof presenceOperators)[number];
export type ListOperator = (typeof listOperators)[number];

/** What an automation counts hours since; a condition whose moment is not there (not pending now, no agent reply yet) does not hold. */
export const timeFields = [
  'hours_since_created',
  'hours_since_status_changed',
  'hours_since_pending',
  'hours_since_solved',
  'hours_since_requester_message',
  'hours_since_agent_message',
] as const;
export type TimeField = (typeof timeFields)[number];
/** Hours on the clock, or in the business hours of the ticket's team's calendar. */
export const timeOperators = ['greater_than', 'less_than', 'greater_than_business_hours', 'less_than_business_hours'] as const;
export type TimeOperator = (typeof timeOperators)[number];

export const customFieldPrefix = 'custom_fields_';
export type CustomFieldName = `custom_fields_${string}`;

/** A condition on the ticket as it is; triggers may also ask how the change moved it (`Change`: changed, changed to, changed from). */
export type TicketCondition<Change extends ChangeOperator = ChangeOperator> =
  | { field: 'status'; operator: ValueOperator | OrderOperator | Change; value: TicketStatus }
  | { field: 'priority'; operator: ValueOperator | OrderOperator | Change; value: TicketPriority }
  | { field: 'channel'; operator: ValueOperator; value: Channel }
  /** At least one of the tags is on the ticket (includes), or none is (not_includes). */
  | { field: 'tags'; operator: ListOperator; value: string[] }
  /** Null: no team, nobody assigned. */
  | { field: 'team'; operator: ValueOperator | Change; value: string | null }
  | { field: 'assignee'; operator: ValueOperator | Change; value: string | null }
  | {
      field: CustomFieldName;
      operator: ValueOperator | OrderOperator | PresenceOperator | ListOperator | Change;
      value: FieldValue | null;
    }
  /** The requester's locale's language, else the one detected; a list means any of them. */
  | { field: 'language'; operator: ValueOperator; value: string[] }
  | { field: 'requester_country'; operator: ValueOperator; value: string[] }
  /** Whether the ticket's team's calendar is open now (around the clock without one). */
  | { field: 'within_business_hours'; operator: 'is'; value: boolean }
  /** Whether a calendar of the tenant is open now. */
  | { field: 'within_schedule'; operator: ValueOperator; value: string };

export type ChangeCondition =
  /** The ticket was created by this change, or it changed an existing one. */
  | { field: 'update_type'; operator: 'is'; value: 'create' | 'change' }
  /** Who made the change: the requester writing in (end_user), or anyone else. */
  | { field: 'role'; operator: ValueOperator; value: 'end_user' | 'agent' }
  /** The change added a public message (true) or an internal note (false). */
  | { field: 'comment_is_public'; operator: 'is'; value: boolean };

export type TimeCondition = { field: TimeField; operator: TimeOperator; value: number };

export type TriggerCondition = TicketCondition | ChangeCondition;
export type AutomationCondition = TicketCondition<never> | TimeCondition;
export type Condition = TriggerCondition | AutomationCondition;

/** Every condition of `all` holds, and at least one of `any` when it lists some. */
export interface Conditions<C> {
  all: C[];
  any: C[];
}

/** A note or reply's text; `{{ticket.…}}` placeholders are filled in, and a translation for the requester's locale wins. */
export interface Message {
  body: string;
  translations: Record<string, string>;
}

export type Action =
  | { field: 'status'; value: TicketStatus }
  | { field: 'priority'; value: TicketPriority }
  | { field: 'team'; value: string | null }
  | { field: 'assignee'; value: string | null }
  | { field: CustomFieldName; value: FieldValue | null }
  | { field: 'add_tags'; value: string[] }
  | { field: 'remove_tags'; value: string[] }
  | { field: 'set_tags'; value: string[] }
  | { field: 'internal_note'; value: Message }
  /** A webhook subscription of the tenant gets a WebhookNotified change about the ticket. */
  | { field: 'notify_webhook'; value: string }
  /** This SLA policy applies to the ticket instead of the first matching one; null: matching again. */
  | { field: 'sla_policy'; value: string | null };
/** Macros answer the requester too. */
export type MacroAction = Action | { field: 'public_reply'; value: Message };

export interface Trigger {
  id: string;
  title: string;
  /** Triggers run lowest position first. */
  position: number;
  active: boolean;
  conditions: Conditions<TriggerCondition>;
  actions: Action[];
}

export interface Automation {
  id: string;
  title: string;
  position: number;
  active: boolean;
  conditions: Conditions<AutomationCondition>;
  actions: Action[];
}

export interface Macro {
  id: string;
  title: string;
  actions: MacroAction[];
}

/** What made an event: the envelope's causationId of events a rule decided. */
export type RuleKind = 'trigger' | 'automation' | 'macro' | 'routing';
export const causeOf = (kind: RuleKind, id: string): string => `${kind}:${id}`;
/** The id of the rule of this kind a causationId names, or null: causeOf read back. */
export const ruleOf = (cause: string | undefined, kind: RuleKind): string | null =>
  cause?.startsWith(`${kind}:`) ? cause.slice(kind.length + 1) : null;

export const isCustomField = (field: string): field is CustomFieldName => field.startsWith(customFieldPrefix);
export const customFieldKey = (field: CustomFieldName): string => field.slice(customFieldPrefix.length);
export const isTimeCondition = (condition: Condition): condition is TimeCondition =>
  (timeFields as readonly string[]).includes(condition.field);
