import * as z from 'zod';
import type { ProblemKind } from '../../shared/platform/http/problem.ts';
import { authProblems, bodyProblems, json, problems, refusal, route } from '../openapi/operation.ts';
import { listOf } from '../schemas/common.ts';
import {
  automationBody,
  automationView,
  calendarBody,
  calendarView,
  macroBody,
  macroView,
  routingRuleBody,
  routingRuleView,
  setupIdParams,
  slaPolicyBody,
  slaPolicyView,
  teamBody,
  teamView,
  ticketFieldBody,
  ticketFieldParams,
  ticketFieldRules,
  ticketFieldView,
  triggerBody,
  triggerView,
} from '../schemas/setup.ts';
import {
  draftKindPaths,
  draftKinds,
  simulationBody,
  simulationParams,
  simulationView,
  simulationWindowRules,
} from '../schemas/simulations.ts';

/** What a rule's PUT refuses beyond its shape: names the setup (or the tenant's webhooks) does not have. */
const ruleRefusals = [
  refusal('body', '/conditions', 'at least one condition, in all or any'),
  ...(['all', 'any'] as const).flatMap((group) => [
    refusal('body', `/conditions/${group}/*/field`, 'no ticket field has this key'),
    refusal('body', `/conditions/${group}/*/value`, 'no calendar has this id'),
  ]),
];
const actionRefusals = [
  refusal('body', '/actions/*', 'a note or reply names an unknown {{placeholder}}'),
  refusal('body', '/actions/*/field', 'no ticket field has this key'),
  refusal(
    'body',
    '/actions/*/value',
    'no team, SLA policy or webhook subscription has this id, or the custom field does not take the value',
  ),
];

/** The support setup routes: the same four operations for each kind of item. */
const setupKinds = [
  {
    path: '/v1/calendars',
    what: 'calendar',
    name: 'Calendar',
    body: calendarBody,
    view: calendarView,
    list: 'CalendarList',
    deletable: false,
    refusals: [refusal('body', '/specialHours/*', 'a period of special hours ends before it starts')],
  },
  {
    path: '/v1/teams',
    what: 'team',
    name: 'Team',
    body: teamBody,
    view: teamView,
    list: 'TeamList',
    deletable: false,
    refusals: [
      refusal('body', '/calendarId', 'no calendar has this id'),
      refusal('body', '/escalatesTo', 'a team listed does not exist, or is this team'),
    ],
  },
  {
    path: '/v1/sla-policies',
    what: 'SLA policy',
    name: 'SlaPolicy',
    body: slaPolicyBody,
    view: slaPolicyView,
    list: 'SlaPolicyList',
    deletable: true,
    refusals: [],
  },
  {
    path: '/v1/routing-rules',
    what: 'routing rule',
    name: 'RoutingRule',
    body: routingRuleBody,
    view: routingRuleView,
    list: 'RoutingRuleList',
    deletable: true,
    refusals: [refusal('body', '/team', 'no team has this id')],
  },
  {
    path: '/v1/ticket-fields',
    param: 'key',
    what: 'ticket field',
    name: 'TicketField',
    body: ticketFieldBody,
    view: ticketFieldView,
    list: 'TicketFieldList',
    deletable: true,
    refusals: [refusal('body', '/options', ticketFieldRules.options), refusal('body', '/personalData', ticketFieldRules.personalData)],
    description:
      'Tickets take values in fields: {key: value} on POST /v1/tickets and PATCH, checked against these (a wrong type, an unknown ' +
      'option or a missing required field is 400 naming /fields/<key>). Deleting a field stops it validating; tickets keep their ' +
      "values. Values of personalData fields are sealed with the ticket's key and gone after erasure.",
  },
  {
    path: '/v1/triggers',
    tag: 'Automation',
    what: 'trigger',
    name: 'Trigger',
    body: triggerBody,
    view: triggerView,
    list: 'TriggerList',
    deletable: true,
    refusals: [...ruleRefusals, ...actionRefusals],
    description:
      'Triggers run on every change to a ticket, in the same write, lowest position first; when one fires the round starts again ' +
      'from the top, and each fires at most once per change, so they never loop. The events they cause name them as ' +
      'causationId (trigger:<id>) in GET /v1/tickets/{id}/events, and the answer to the change already shows their effect.',
  },
  {
    path: '/v1/automations',
    tag: 'Automation',
    what: 'automation',
    name: 'Automation',
    body: automationBody,
    view: automationView,
    list: 'AutomationList',
    deletable: true,
    refusals: [
      ...ruleRefusals,
      ...actionRefusals,
      refusal('body', '/conditions/all', 'an automation needs an hours_since_… greater_than condition in all'),
      refusal('body', '/conditions/any', 'time conditions go in all'),
    ],
    putProblems: ['automationNeverStops'] as ProblemKind[],
    description:
      'Time-based rules: each ticket plans a one-time timer for the moment an automation becomes true, so it fires within a ' +
      'minute of it (not on an hourly sweep), once for that moment. As in Zendesk, an automation must change something that ' +
      'stops it matching again: one that cannot is 422 automation-never-stops.',
  },
  {
    path: '/v1/macros',
    tag: 'Automation',
    what: 'macro',
    name: 'Macro',
    body: macroBody,
    view: macroView,
    list: 'MacroList',
    deletable: true,
    refusals: actionRefusals,
    description: 'Agents apply a macro to a ticket (POST /v1/tickets/{id}/macros/{macroId}, with If-Match), or preview it first.',
  },
];
export const setupRoutes = setupKinds.flatMap((kind) => {
  const tags = [kind.tag ?? 'Support setup'];
  const item = `${kind.path}/{${kind.param ?? 'id'}}`;
  const params = kind.param === 'key' ? ticketFieldParams : setupIdParams;
  const routes = [
    route('GET', kind.path, 'support-setup', {
      operationId: `list${kind.name === 'SlaPolicy' ? 'SlaPolicies' : `${kind.name}s`}`,
      tags,
      summary: `Every ${kind.what} of the tenant, by rank then id (any role)`,
      ...(kind.description ? { description: kind.description } : {}),
      responses: { 200: { description: 'All of them', ...json(listOf(kind.view, kind.list)) }, ...problems(...authProblems) },
    }),
    route('GET', item, 'support-setup', {
      operationId: `get${kind.name}`,
      tags,
      summary: `One ${kind.what} (any role)`,
      request: { params },
      responses: { 200: { description: `The ${kind.what}`, ...json(kind.view) }, ...problems('validation', 'notFound', ...authProblems) },
    }),
    route('PUT', item, 'support-setup', {
      operationId: `put${kind.name}`,
      tags,
      summary: `Create or replace a ${kind.what} (supervisor)`,
      description:
        "Recorded on the tenant's support-setup stream; putting the same again records nothing. References (calendarId, escalatesTo, team) must name items that exist.",
      request: { params, body: json(kind.body) },
      'x-refusals': kind.refusals,
      responses: {
        200: { description: 'Replaced', ...json(kind.view) },
        201: { description: 'Created', headers: { Location: { schema: { type: 'string' } } }, ...json(kind.view) },
        ...problems(...bodyProblems, ...authProblems, 'conflict', ...(kind.putProblems ?? [])),
      },
    }),
  ];
  if (kind.deletable) {
    routes.push(
      route('DELETE', item, 'support-setup', {
        operationId: `delete${kind.name}`,
        tags,
        summary: `Delete a ${kind.what} (supervisor)`,
        request: { params },
        responses: { 204: { description: 'Deleted' }, ...problems('validation', 'notFound', ...authProblems, 'conflict') },
      }),
    );
  }
  return routes;
});

/** A draft item is refused as its PUT would refuse it, under /draft/<kind>/<index>. */
const draftRefusals = draftKinds.flatMap((name) => {
  const kind = setupKinds.find((k) => k.path === draftKindPaths[name])!;
  return kind.refusals.map((r) => refusal('body', `/draft/${name}/*${r.path}`, r.when));
});

export const simulationRoutes = [
  route('POST', '/v1/simulations', 'support-setup', {
    operationId: 'simulate',
    tags: ['Automation'],
    summary: 'What if: replay a window of ticket history through a draft setup, writing nothing (supervisor)',
    description:
      'Every ticket created in [from, to] is lived again, up to to (or now), twice: under the setup as it is and under it with the ' +
      "draft's items put. People's and channels' actions are replayed as recorded; routing, triggers, SLA targets and breaches, " +
      'escalations and automations are decided again by each setup, timers at their due moments. The answer lists each ticket ' +
      'that ends differently (status, priority, team, assignee, breaches, due times, trigger and automation firings) and totals. ' +
      'Nothing is written, and sealed text is never opened. Up to 200 tickets are answered at once (200); a larger window, or ' +
      '`Prefer: respond-async`, starts a job: 202 with Location to poll (GET /v1/simulations/{id}), kept 7 days.',
    request: {
      body: json(simulationBody),
      headers: z.object({
        prefer: z
          .string()
          .regex(/^[ -~]{1,200}$/, 'printable ASCII')
          .optional()
          .meta({ description: 'respond-async: run as a job even if small (RFC 7240)' }),
      }),
    },
    'x-refusals': [
      refusal('body', '/to', simulationWindowRules.ordered),
      refusal('body', '/to', simulationWindowRules.length),
      ...draftRefusals,
    ],
    responses: {
      200: { description: 'Simulated at once', ...json(simulationView) },
      202: {
        description: 'Running as a job',
        headers: { Location: { schema: { type: 'string' } }, 'Retry-After': { schema: { type: 'integer' } } },
        ...json(simulationView),
      },
      ...problems(...bodyProblems, ...authProblems, 'automationNeverStops'),
    },
  }),
  route('GET', '/v1/simulations/{id}', 'support-setup', {
    operationId: 'getSimulation',
    tags: ['Automation'],
    summary: 'A simulation job: running, or its result (supervisor)',
    request: { params: simulationParams },
    responses: {
      200: { description: 'The job', headers: { 'Retry-After': { schema: { type: 'integer' } } }, ...json(simulationView) },
      ...problems('validation', 'notFound', ...authProblems),
    },
  }),
];
