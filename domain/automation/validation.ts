import type { SupportSetup } from '../setup/setup.ts';
import { fieldErrors } from '../ticket/fields.ts';
import type { Ticket } from '../ticket/state.ts';
import { conditionHolds } from './conditions.ts';
import {
  type Action,
  type Automation,
  type Condition,
  type Conditions,
  customFieldKey,
  isCustomField,
  isTimeCondition,
  type MacroAction,
  type TicketCondition,
} from './rules.ts';

/** A rule's part that the setup does not have: a path in the rule's body (JSON Pointer) and why. */
export interface RuleError {
  path: string;
  message: string;
}

/** What a rule names must exist: teams, calendars, SLA policies, custom fields (and their values fit them). */
export function ruleErrors(
  rule: { conditions?: Conditions<Condition>; actions: readonly MacroAction[] },
  setup: SupportSetup,
): RuleError[] {
  const errors: RuleError[] = [];
  const conditionGroups = rule.conditions ? (['all', 'any'] as const).map((group) => [group, rule.conditions![group]] as const) : [];
  for (const [group, conditions] of conditionGroups) {
    conditions.forEach((condition, i) => {
      const path = `/conditions/${group}/${i}`;
      if (isCustomField(condition.field) && !setup.ticketFields[customFieldKey(condition.field)])
        errors.push({ path: `${path}/field`, message: 'no such ticket field' });
      if (condition.field === 'within_schedule' && !setup.calendars[condition.value as string])
        errors.push({ path: `${path}/value`, message: 'no calendar has this id' });
    });
  }
  rule.actions.forEach((action, i) => {
    const path = `/actions/${i}`;
    if (isCustomField(action.field)) {
      const key = customFieldKey(action.field);
      const [error] = fieldErrors(setup.ticketFields, { [key]: action.value as never }, { opening: false });
      if (error) errors.push({ path: `${path}/${error.message === 'no such ticket field' ? 'field' : 'value'}`, message: error.message });
    }
    if (action.field === 'team' && action.value !== null && !setup.teams[action.value])
      errors.push({ path: `${path}/value`, message: 'no team has this id' });
    if (action.field === 'sla_policy' && action.value !== null && !setup.slaPolicies[action.value])
      errors.push({ path: `${path}/value`, message: 'no SLA policy has this id' });
  });
  return errors;
}

/** What is known of a ticket's tags after some actions: those surely on it, those surely not (all others too, after set_tags). */
interface KnownTags {
  on: Set<string>;
  off: Set<string>;
  exact: boolean;
}

function tagsAfter(actions: readonly Action[]): KnownTags {
  const known: KnownTags = { on: new Set(), off: new Set(), exact: false };
  for (const action of actions) {
    if (action.field === 'set_tags') Object.assign(known, { on: new Set(action.value), off: new Set(), exact: true });
    for (const tag of action.field === 'add_tags' ? action.value : []) known.on.add(tag), known.off.delete(tag);
    for (const tag of action.field === 'remove_tags' ? action.value : []) known.off.add(tag), known.on.delete(tag);
  }
  return known;
}

const surelyOff = (known: KnownTags, tag: string) => known.off.has(tag) || (known.exact && !known.on.has(tag));

/** Whether the condition is false whatever the ticket, once the actions are done. */
function nullified(condition: Condition, actions: readonly Action[]): boolean {
  if (condition.field === 'hours_since_pending' || condition.field === 'hours_since_solved') {
    const status = actions.findLast((action) => action.field === 'status')?.value;
    return status !== undefined && status !== (condition.field === 'hours_since_pending' ? 'pending' : 'solved');
  }
  if (isTimeCondition(condition)) return false;
  if (condition.field === 'tags') {
    const known = tagsAfter(actions);
    return condition.operator === 'includes'
      ? condition.value.every((tag) => surelyOff(known, tag))
      : condition.value.some((tag) => known.on.has(tag));
  }
  const set = actions.findLast((action) => action.field === condition.field);
  if (!set) return false;
  // The ticket as far as the action tells it: conditions on its field read the value it sets.
  const ticket = { fields: {}, requester: {} } as unknown as Ticket;
  const withValue = isCustomField(set.field)
    ? { ...ticket, fields: set.value === null ? {} : { [customFieldKey(set.field)]: set.value } }
    : { ...ticket, [set.field]: set.value };
  return !conditionHolds(condition as TicketCondition, {
    before: null,
    ticket: withValue as Ticket,
    events: [],
    setup: {} as SupportSetup,
    now: new Date(0),
  });
}

/**
 * Zendesk's rule for automations: one must change something that stops it matching again, or it
 * would fire at every check. Its actions must make one of `all` false, or every one of `any`.
 */
export function stopsMatching(automation: Pick<Automation, 'conditions' | 'actions'>): boolean {
  const { all, any } = automation.conditions;
  const falsified = (condition: Condition) => nullified(condition, automation.actions);
  return all.some(falsified) || (any.length > 0 && any.every(falsified));
}
