import { accept, type Decider, type Decision, type RecordedEvent, refuse } from '../decider.ts';
import type { RoutingRule, SlaPolicy, Team } from '../sla/vocabulary.ts';
import type { SetupEvent } from './events.ts';
import type { CalendarEntry, ChannelConnection, IntakeChannel, TicketField } from './vocabulary.ts';

/**
 * A tenant's support setup, as one audited stream (`support-setup#<tenant>`): calendars, teams
 * (with their follow-the-sun chains), SLA policies, routing rules, channel connections and custom
 * ticket fields. Each change is an event.
 */
export interface SupportSetup {
  tenantId: string;
  calendars: Record<string, CalendarEntry>;
  teams: Record<string, Team>;
  slaPolicies: Record<string, SlaPolicy>;
  routingRules: Record<string, RoutingRule>;
  channels: Partial<Record<IntakeChannel, ChannelConnection>>;
  ticketFields: Record<string, TicketField>;
  version: number;
}

export type SetupCommand =
  | { type: 'PutCalendar'; calendar: CalendarEntry }
  | { type: 'PutTeam'; team: Team }
  | { type: 'PutSlaPolicy'; policy: SlaPolicy }
  | { type: 'DeleteSlaPolicy'; id: string }
  | { type: 'PutRoutingRule'; rule: RoutingRule }
  | { type: 'DeleteRoutingRule'; id: string }
  | { type: 'ConnectChannel'; connection: ChannelConnection }
  | { type: 'PutTicketField'; field: TicketField }
  | { type: 'DeleteTicketField'; key: string };

export type SetupError =
  | { code: 'unknown_calendar'; calendarId: string }
  | { code: 'unknown_team'; teamId: string; field: 'escalatesTo' | 'team' }
  | { code: 'escalates_to_itself' }
  | { code: 'setup_item_not_found' };

type SetupDecision = Decision<SetupEvent, SetupError>;

export const emptySetup = (tenantId: string): SupportSetup => ({
  tenantId,
  calendars: {},
  teams: {},
  slaPolicies: {},
  routingRules: {},
  channels: {},
  ticketFields: {},
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
    // Secrets are sealed afresh each time, so every connection is recorded (a rotation, say).
    case 'ConnectChannel':
      return accept([{ type: 'ChannelConnected', data: { connection: command.connection } }]);
  }
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
  }
}

/** The setup as a decider; its decisions do not read the clock. */
export const supportSetupDecider: Decider<SupportSetup, SetupCommand, SetupEvent, SetupError> = {
  initialState: emptySetup,
  decide: (command, setup) => decideSetup(command, setup),
  evolve: evolveSetup,
};
