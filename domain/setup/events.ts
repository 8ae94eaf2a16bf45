import type { Automation, Macro, Trigger } from '../automation/rules.ts';
import type { RoutingRule, SlaPolicy, Team } from '../sla/vocabulary.ts';
import type { CalendarEntry, ChannelConnection, TicketField } from './vocabulary.ts';

/** Each change to a tenant's support setup (stream `support-setup#<tenant>`); the stored form is in events/setup-events.ts. */
export type SetupEvent =
  | { type: 'CalendarPut'; data: { calendar: CalendarEntry } }
  | { type: 'TeamPut'; data: { team: Team } }
  | { type: 'SlaPolicyPut'; data: { policy: SlaPolicy } }
  | { type: 'SlaPolicyDeleted'; data: { id: string } }
  | { type: 'RoutingRulePut'; data: { rule: RoutingRule } }
  | { type: 'RoutingRuleDeleted'; data: { id: string } }
  | { type: 'ChannelConnected'; data: { connection: ChannelConnection } }
  | { type: 'TicketFieldPut'; data: { field: TicketField } }
  /** The field stops validating; tickets keep the values they have. */
  | { type: 'TicketFieldDeleted'; data: { key: string } }
  | { type: 'TriggerPut'; data: { trigger: Trigger } }
  | { type: 'TriggerDeleted'; data: { id: string } }
  | { type: 'AutomationPut'; data: { automation: Automation } }
  | { type: 'AutomationDeleted'; data: { id: string } }
  | { type: 'MacroPut'; data: { macro: Macro } }
  | { type: 'MacroDeleted'; data: { id: string } };
