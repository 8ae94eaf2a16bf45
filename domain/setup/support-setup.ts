import type { Automation, Macro, Trigger } from '../automation/rules.ts';
import { type RuleError, ruleErrors, stopsMatching } from '../automation/validation.ts';
import { accept, type Decider, type Decision, type RecordedEvent, refuse } from '../decider.ts';
import type { RoutingRule, SlaPolicy, Team } from '../sla/vocabulary.ts';
import type { SetupEvent } from './events.ts';
import type { SupportSetup } from './setup.ts';
import type { CalendarEntry, ChannelConnection, TicketField } from './vocabulary.ts';

export type { SupportSetup } from './setup.ts';

export type SetupCommand =
  | { type: 'PutCalendar'; calendar: CalendarEntry }
  | { type: 'PutTeam'; team: Team }
  | { type: 'PutSlaPolicy'; policy: SlaPolicy }
  | { type: 'DeleteSlaPolicy'; id: string }
  | { type: 'PutRoutingRule'; rule: RoutingRule }
  | { type: 'DeleteRoutingRule'; id: string }
  | { type: 'ConnectChannel'; connection: ChannelConnection }
  | { type: 'PutTicketField'; field: TicketField }
  | { type: 'DeleteTicketField'; key: string }
  | { type: 'PutTrigger'; trigger: Trigger }
  | { type: 'DeleteTrigger'; id: string }
  | { type: 'PutAutomation'; automation: Automation }
  | { type: 'DeleteAutomation'; id: string }
  | { type: 'PutMacro'; macro: Macro }
  | { type: 'DeleteMacro'; id: string };

export type SetupError =
  | { code: 'unknown_calendar'; calendarId: string }
  | { code: 'unknown_team'; teamId: string; field: 'escalatesTo' | 'team' }
  | { code: 'escalates_to_itself' }
  | { code: 'setup_item_not_found' }
  /** A rule names a team, calendar, SLA policy or ticket field the setup does not have, or a value its field does not take. */
  | { code: 'invalid_rule'; errors: RuleError[] }
  /** An automation none of whose actions stops it matching again. */
  | { code: 'automation_never_stops' };

type SetupDecision = Decision<SetupEvent, SetupError>;

export const emptySetup = (tenantId: string): SupportSetup => ({
  tenantId,
  calendars: {},
  teams: {},
  slaPolicies: {},
  routingRules: {},
  channels: {},
  ticketFields: {},
  triggers: {},
  automations: {},
  macros: {},
  version: 0,
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A put records its event unless the item is there as it is already. */
const put = (current: unknown, next: unknown, event: SetupEvent): SetupDecision => accept(same(current, next) ? [] : [event]);
/** A delete records its event if the item is there. */
const remove = (current: unknown, event: SetupEvent): SetupDecision =>
  current ? accept([event]) : refuse({ code: 'setup_item_not_found' });

/** Putting what is there records nothing; references must name what exists. */
export function decideSetup(command: SetupCommand, setup: SupportSetup): SetupDecision {
  switch (command.type) {
    case 'PutCalendar':
      return put(setup.calendars[command.calendar.id], command.calendar, { type: 'CalendarPut', data: { calendar: command.calendar } });
    case 'PutTeam': {
      const { team } = command;
      if (team.calendarId !== null && !setup.calendars[team.calendarId])
        return refuse({ code: 'unknown_calendar', calendarId: team.calendarId });
      if (team.escalatesTo.includes(team.id)) return refuse({ code: 'escalates_to_itself' });
      const unknown = team.escalatesTo.find((id) => !setup.teams[id]);
      if (unknown !== undefined) return refuse({ code: 'unknown_team', teamId: unknown, field: 'escalatesTo' });
      return put(setup.teams[team.id], team, { type: 'TeamPut', data: { team } });
    }
    case 'PutSlaPolicy':
      return put(setup.slaPolicies[command.policy.id], command.policy, { type: 'SlaPolicyPut', data: { policy: command.policy } });
    case 'DeleteSlaPolicy':
      return remove(setup.slaPolicies[command.id], { type: 'SlaPolicyDeleted', data: { id: command.id } });
    case 'PutRoutingRule':
      if (!setup.teams[command.rule.team]) return refuse({ code: 'unknown_team', teamId: command.rule.team, field: 'team' });
      return put(setup.routingRules[command.rule.id], command.rule, { type: 'RoutingRulePut', data: { rule: command.rule } });
    case 'DeleteRoutingRule':
      return remove(setup.routingRules[command.id], { type: 'RoutingRuleDeleted', data: { id: command.id } });
    case 'PutTicketField':
      return put(setup.ticketFields[command.field.key], command.field, { type: 'TicketFieldPut', data: { field: command.field } });
    case 'DeleteTicketField':
      return remove(setup.ticketFields[command.key], { type: 'TicketFieldDeleted', data: { key: command.key } });
    case 'PutTrigger':
      return checked(command.trigger, setup, () =>
        put(setup.triggers[command.trigger.id], command.trigger, { type: 'TriggerPut', data: { trigger: command.trigger } }),
      );
    case 'DeleteTrigger':
      return remove(setup.triggers[command.id], { type: 'TriggerDeleted', data: { id: command.id } });
    case 'PutAutomation':
      return checked(command.automation, setup, () =>
        stopsMatching(command.automation)
          ? put(setup.automations[command.automation.id], command.automation, {
              type: 'AutomationPut',
              data: { automation: command.automation },
            })
          : refuse({ code: 'automation_never_stops' }),
      );
    case 'DeleteAutomation':
      return remove(setup.automations[command.id], { type: 'AutomationDeleted', data: { id: command.id } });
    case 'PutMacro':
      return checked(command.macro, setup, () =>
        put(setup.macros[command.macro.id], command.macro, { type: 'MacroPut', data: { macro: command.macro } }),
      );
    case 'DeleteMacro':
      return remove(setup.macros[command.id], { type: 'MacroDeleted', data: { id: command.id } });
    // Secrets are sealed afresh each time, so every connection is recorded (a rotation, say).
    case 'ConnectChannel':
      return accept([{ type: 'ChannelConnected', data: { connection: command.connection } }]);
  }
}

/** A rule is recorded only if everything it names exists. */
function checked(rule: Parameters<typeof ruleErrors>[0], setup: SupportSetup, then: () => SetupDecision): SetupDecision {
  const errors = ruleErrors(rule, setup);
  return errors.length > 0 ? refuse({ code: 'invalid_rule', errors }) : then();
}

const without = <T>(items: Record<string, T>, id: string) => Object.fromEntries(Object.entries(items).filter(([key]) => key !== id));

export function evolveSetup(setup: SupportSetup, event: RecordedEvent<SetupEvent>): SupportSetup {
  const next = { ...setup, version: event.version };
  switch (event.type) {
    case 'CalendarPut':
      return { ...next, calendars: { ...setup.calendars, [event.data.calendar.id]: event.data.calendar } };
    case 'TeamPut':
      return { ...next, teams: { ...setup.teams, [event.data.team.id]: event.data.team } };
    case 'SlaPolicyPut':
      return { ...next, slaPolicies: { ...setup.slaPolicies, [event.data.policy.id]: event.data.policy } };
    case 'SlaPolicyDeleted':
      return { ...next, slaPolicies: without(setup.slaPolicies, event.data.id) };
    case 'RoutingRulePut':
      return { ...next, routingRules: { ...setup.routingRules, [event.data.rule.id]: event.data.rule } };
    case 'RoutingRuleDeleted':
      return { ...next, routingRules: without(setup.routingRules, event.data.id) };
    case 'ChannelConnected':
      return { ...next, channels: { ...setup.channels, [event.data.connection.channel]: event.data.connection } };
    case 'TicketFieldPut':
      return { ...next, ticketFields: { ...setup.ticketFields, [event.data.field.key]: event.data.field } };
    case 'TicketFieldDeleted':
      return { ...next, ticketFields: without(setup.ticketFields, event.data.key) };
    case 'TriggerPut':
      return { ...next, triggers: { ...setup.triggers, [event.data.trigger.id]: event.data.trigger } };
    case 'TriggerDeleted':
      return { ...next, triggers: without(setup.triggers, event.data.id) };
    case 'AutomationPut':
      return { ...next, automations: { ...setup.automations, [event.data.automation.id]: event.data.automation } };
    case 'AutomationDeleted':
      return { ...next, automations: without(setup.automations, event.data.id) };
    case 'MacroPut':
      return { ...next, macros: { ...setup.macros, [event.data.macro.id]: event.data.macro } };
    case 'MacroDeleted':
      return { ...next, macros: without(setup.macros, event.data.id) };
  }
}

/** The setup as a decider; its decisions do not read the clock. */
export const supportSetupDecider: Decider<SupportSetup, SetupCommand, SetupEvent, SetupError> = {
  initialState: emptySetup,
  decide: (command, setup) => decideSetup(command, setup),
  evolve: evolveSetup,
};
