import type { Automation, Macro, Trigger } from '../automation/rules.ts';
import type { RoutingRule, SlaPolicy, Team } from '../sla/vocabulary.ts';
import type { CalendarEntry, ChannelConnection, IntakeChannel, TicketField } from './vocabulary.ts';

/**
 * A tenant's support setup, as one audited stream (`support-setup#<tenant>`): calendars, teams
 * (with their follow-the-sun chains), SLA policies, routing rules, channel connections and custom
 * ticket fields, and the rules that act on tickets (triggers, automations, macros). Each change is an event.
 */
export interface SupportSetup {
  tenantId: string;
  calendars: Record<string, CalendarEntry>;
  teams: Record<string, Team>;
  slaPolicies: Record<string, SlaPolicy>;
  routingRules: Record<string, RoutingRule>;
  channels: Partial<Record<IntakeChannel, ChannelConnection>>;
  ticketFields: Record<string, TicketField>;
  triggers: Record<string, Trigger>;
  automations: Record<string, Automation>;
  macros: Record<string, Macro>;
  version: number;
}
