import type * as z from 'zod';
import type { SetupCommand, SupportSetup } from '../../../domain/setup/support-setup.ts';
import {
  automationBody,
  calendarBody,
  macroBody,
  routingRuleBody,
  slaPolicyBody,
  teamBody,
  ticketFieldBody,
  triggerBody,
} from '../schemas/setup.ts';

export interface SetupKind<B extends z.ZodType> {
  path: string;
  /** The path parameter naming one item: id, or key for ticket fields. */
  param?: 'key';
  body: B;
  items: (setup: SupportSetup) => Record<string, { id: string; rank?: number; position?: number }>;
  put: (id: string, body: z.infer<B>) => SetupCommand;
  remove?: (id: string) => SetupCommand;
  /** A change plans the tenant's open tickets again (automations: their timers). */
  replans?: boolean;
}

/** The kinds of setup item: each PUT by id (create or replace), read one or all, some deleted. */
export const kinds = [
  {
    path: '/v1/calendars',
    body: calendarBody,
    items: (setup) => setup.calendars,
    put: (id, { name, timeZone, hours, holidays, specialHours }) => ({
      type: 'PutCalendar',
      calendar: { id, name: name ?? id, timeZone, hours, holidays, specialHours },
    }),
  } satisfies SetupKind<typeof calendarBody>,
  {
    path: '/v1/teams',
    body: teamBody,
    items: (setup) => setup.teams,
    put: (id, { name, calendarId, escalatesTo }) => ({ type: 'PutTeam', team: { id, name, calendarId, escalatesTo } }),
  } satisfies SetupKind<typeof teamBody>,
  {
    path: '/v1/sla-policies',
    body: slaPolicyBody,
    items: (setup) => setup.slaPolicies,
    put: (id, { name, rank, match, targets, businessHours, onBreach }) => ({
      type: 'PutSlaPolicy',
      policy: { id, name: name ?? id, rank, match, targets, businessHours, onBreach },
    }),
    remove: (id) => ({ type: 'DeleteSlaPolicy', id }),
  } satisfies SetupKind<typeof slaPolicyBody>,
  {
    path: '/v1/routing-rules',
    body: routingRuleBody,
    items: (setup) => setup.routingRules,
    put: (id, { rank, match, team }) => ({ type: 'PutRoutingRule', rule: { id, rank, match, team } }),
    remove: (id) => ({ type: 'DeleteRoutingRule', id }),
  } satisfies SetupKind<typeof routingRuleBody>,
  {
    path: '/v1/ticket-fields',
    param: 'key',
    body: ticketFieldBody,
    items: (setup) => Object.fromEntries(Object.entries(setup.ticketFields).map(([key, field]) => [key, { id: key, ...field }])),
    put: (key, { title, type, options, required, personalData }) => ({
      type: 'PutTicketField',
      field: { key, title: title ?? key, type, options: options ?? null, required, personalData },
    }),
    remove: (key) => ({ type: 'DeleteTicketField', key }),
  } satisfies SetupKind<typeof ticketFieldBody>,
  {
    path: '/v1/triggers',
    body: triggerBody,
    items: (setup) => setup.triggers,
    put: (id, { title, ...trigger }) => ({ type: 'PutTrigger', trigger: { id, title: title ?? id, ...trigger } }),
    remove: (id) => ({ type: 'DeleteTrigger', id }),
  } satisfies SetupKind<typeof triggerBody>,
  {
    path: '/v1/automations',
    body: automationBody,
    items: (setup) => setup.automations,
    put: (id, { title, ...automation }) => ({ type: 'PutAutomation', automation: { id, title: title ?? id, ...automation } }),
    remove: (id) => ({ type: 'DeleteAutomation', id }),
    replans: true,
  } satisfies SetupKind<typeof automationBody>,
  {
    path: '/v1/macros',
    body: macroBody,
    items: (setup) => setup.macros,
    put: (id, { title, actions }) => ({ type: 'PutMacro', macro: { id, title: title ?? id, actions } }),
    remove: (id) => ({ type: 'DeleteMacro', id }),
  } satisfies SetupKind<typeof macroBody>,
] as Array<SetupKind<z.ZodType>>;
