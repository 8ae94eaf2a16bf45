import { addBusinessTime, isOpen } from '../calendar/business-time.ts';
import { alwaysOpen } from '../calendar/calendar.ts';
import type { SupportSetup } from '../setup/setup.ts';
import { teamCalendar } from '../sla/sla.ts';
import type { TicketEvent } from '../ticket/events.ts';
import type { FieldValue } from '../ticket/fields.ts';
import { requesterLanguage } from '../ticket/localisation.ts';
import type { Ticket } from '../ticket/state.ts';
import { ticketPriorities, ticketStatuses } from '../ticket/vocabulary.ts';
import {
  type ChangeOperator,
  type Condition,
  type Conditions,
  customFieldKey,
  isCustomField,
  isTimeCondition,
  type TicketCondition,
  type TimeCondition,
  type TimeField,
} from './rules.ts';

/** What a rule's conditions read: the ticket now and before the change, the change's events so far, the setup and the clock. */
export interface RuleMoment {
  /** Null when the change created the ticket. */
  before: Ticket | null;
  ticket: Ticket;
  events: readonly TicketEvent[];
  setup: SupportSetup;
  now: Date;
}

const hourMs = 3_600_000;
type Value = FieldValue | null | undefined;

const same = (a: Value, b: Value) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const listOf = (value: Value): Array<string | number | boolean> => (value === null || value === undefined ? [] : [value].flat());

/** The ticket's value of a field a condition or action names (a custom field's, or undefined when it has none). */
export function valueOf(ticket: Ticket, field: TicketCondition['field']): Value {
  if (isCustomField(field)) return ticket.fields[customFieldKey(field)];
  switch (field) {
    case 'status':
    case 'priority':
    case 'channel':
    case 'team':
    case 'assignee':
      return ticket[field];
    case 'tags':
      return ticket.tags;
    case 'language':
      return requesterLanguage(ticket);
    case 'requester_country':
      return ticket.requester.country;
    case 'within_business_hours':
    case 'within_schedule':
      return undefined;
  }
}

/** Where a value stands in its field's order (statuses and priorities by their lists, numbers and dates as they are). */
function rank(field: string, value: Value): number | string | null {
  if (field === 'status') return ticketStatuses.indexOf(value as never);
  if (field === 'priority') return ticketPriorities.indexOf(value as never);
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}

function changeHolds(operator: ChangeOperator, previous: Value, current: Value, wanted: Value): boolean {
  const changed = !same(previous, current);
  switch (operator) {
    case 'changed':
      return changed;
    case 'not_changed':
      return !changed;
    case 'value':
      return changed && same(current, wanted);
    case 'not_value':
      return !(changed && same(current, wanted));
    case 'value_previous':
      return changed && same(previous, wanted);
    case 'not_value_previous':
      return !(changed && same(previous, wanted));
  }
}

function ticketConditionHolds(condition: TicketCondition, moment: RuleMoment): boolean {
  const { ticket, before, setup, now } = moment;
  const { field, operator, value } = condition;
  if (field === 'within_business_hours') return isOpen(teamCalendar(setup, ticket.team), now) === value;
  if (field === 'within_schedule') {
    const calendar = setup.calendars[value];
    return (calendar !== undefined && isOpen(calendar, now)) === (operator === 'is');
  }
  const current = valueOf(ticket, field);
  switch (operator) {
    case 'is':
      return Array.isArray(value) && !Array.isArray(current) ? value.some((v) => same(current, v)) : same(current, value);
    case 'is_not':
      return Array.isArray(value) && !Array.isArray(current) ? !value.some((v) => same(current, v)) : !same(current, value);
    case 'includes':
      return listOf(current).some((item) => listOf(value).includes(item));
    case 'not_includes':
      return !listOf(current).some((item) => listOf(value).includes(item));
    case 'present':
      return current !== undefined && current !== null;
    case 'not_present':
      return current === undefined || current === null;
    case 'less_than':
    case 'greater_than': {
      const [a, b] = [rank(field, current), rank(field, value)];
      if (a === null || b === null || typeof a !== typeof b || a === -1 || b === -1) return false;
      return operator === 'less_than' ? a < b : a > b;
    }
    default:
      return changeHolds(operator, before === null ? undefined : valueOf(before, field), current, value);
  }
}

/** The moment a time condition counts from, or null when there is none (not pending now, no agent reply yet). */
function sinceOf(field: TimeField, ticket: Ticket): string | null {
  switch (field) {
    case 'hours_since_created':
      return ticket.createdAt;
    case 'hours_since_status_changed':
      return ticket.statusChangedAt;
    case 'hours_since_pending':
      return ticket.status === 'pending' ? ticket.statusChangedAt : null;
    case 'hours_since_solved':
      return ticket.status === 'solved' ? ticket.statusChangedAt : null;
    case 'hours_since_requester_message':
      return ticket.lastRequesterMessageAt;
    case 'hours_since_agent_message':
      return ticket.lastAgentReplyAt;
  }
}

/** When `value` hours (on the clock, or in the team's business hours) will have passed since the condition's moment; null: never. */
export function crossingOf(condition: TimeCondition, ticket: Ticket, setup: SupportSetup): Date | null {
  const since = sinceOf(condition.field, ticket);
  if (since === null) return null;
  const calendar = condition.operator.endsWith('_business_hours') ? teamCalendar(setup, ticket.team) : alwaysOpen;
  return addBusinessTime(calendar, new Date(since), Math.round(condition.value * hourMs));
}

export function timeConditionHolds(condition: TimeCondition, ticket: Ticket, setup: SupportSetup, now: Date): boolean {
  if (sinceOf(condition.field, ticket) === null) return false;
  const crossing = crossingOf(condition, ticket, setup);
  const passed = crossing !== null && crossing.getTime() <= now.getTime();
  return condition.operator.startsWith('greater_than') ? passed : !passed;
}

function changeConditionHolds(condition: Exclude<Condition, TicketCondition | TimeCondition>, moment: RuleMoment): boolean {
  const messages = moment.events.flatMap((event) => (event.type === 'MessageAdded' ? [event.data] : []));
  switch (condition.field) {
    case 'update_type':
      return (moment.before === null ? 'create' : 'change') === condition.value;
    case 'role': {
      const role = messages.some((message) => message.from === 'requester') ? 'end_user' : 'agent';
      return (role === condition.value) === (condition.operator === 'is');
    }
    case 'comment_is_public':
      return messages.some((message) => message.public === condition.value);
  }
}

export function conditionHolds(condition: Condition, moment: RuleMoment): boolean {
  if (isTimeCondition(condition)) return timeConditionHolds(condition, moment.ticket, moment.setup, moment.now);
  if (condition.field === 'update_type' || condition.field === 'role' || condition.field === 'comment_is_public')
    return changeConditionHolds(condition as Exclude<Condition, TicketCondition | TimeCondition>, moment);
  return ticketConditionHolds(condition as TicketCondition, moment);
}

export const conditionsHold = <C extends Condition>({ all, any }: Conditions<C>, moment: RuleMoment): boolean =>
  all.every((condition) => conditionHolds(condition, moment)) && (any.length === 0 || any.some((c) => conditionHolds(c, moment)));
