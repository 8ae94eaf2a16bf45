import { authProblems, bodyProblems, json, problems, refusal, route } from '../openapi/operation.ts';
import { listOf } from '../schemas/common.ts';
import {
  calendarBody,
  calendarView,
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
} from '../schemas/setup.ts';

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
];
export const setupRoutes = setupKinds.flatMap((kind) => {
  const tags = ['Support setup'];
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
        ...problems(...bodyProblems, ...authProblems, 'conflict'),
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
