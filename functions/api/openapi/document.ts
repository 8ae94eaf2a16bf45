import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { homeRegions } from '../../../domain/residency.ts';
import { intakeChannels } from '../../../domain/setup/support-setup.ts';
import { type ProblemKind, problemTypes, problemTypeUri } from '../../shared/http/problem.ts';
import { type ApiRoute, apiRoutes } from '../routes.ts';
import { auditEventPage, auditEventsQuery, auditTicketQuery, auditTicketView } from '../schemas/audit.ts';
import { appReviewImport, channelBodyOf, channelParams, channelView } from '../schemas/channels.ts';
import { idempotencyKeySchema, ifMatchSchema, ifNoneMatchSchema, listOf } from '../schemas/common.ts';
import { createDsarBody, dsarIdParams, dsarPage, dsarView, listDsarsQuery } from '../schemas/dsar.ts';
import { metricsPeriodRules, metricsQuery, metricsView } from '../schemas/metrics.ts';
import { linkContactBody, requesterIdParams, requesterView } from '../schemas/requesters.ts';
import { retentionDryRunPage, retentionDryRunQuery, retentionPolicyBody, retentionPolicyView } from '../schemas/retention.ts';
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
} from '../schemas/setup.ts';
import {
  addMessageBody,
  createTicketBody,
  eventList,
  listTicketsQuery,
  messageList,
  messageView,
  npsBody,
  patchTicketBody,
  satisfactionBody,
  ticketIdParams,
  ticketPage,
  ticketView,
} from '../schemas/tickets.ts';

const problem = z
  .object({
    type: z.string().meta({ example: problemTypeUri('validation') }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().optional().meta({ description: 'For 409: the domain rule that refused, e.g. illegal_transition' }),
    errors: z
      .array(z.object({ path: z.string(), location: z.enum(['body', 'query', 'path', 'header']), message: z.string() }))
      .optional()
      .meta({ description: 'For 400: each field that failed; path is a JSON Pointer into location' }),
    homeRegion: z.enum(homeRegions).optional().meta({ description: "For 421: the region where the requester's data lives" }),
    endpoint: z
      .url()
      .nullable()
      .optional()
      .meta({ description: 'For 421: the API endpoint of homeRegion (null if that region is not deployed here)' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const problems = (...kinds: ProblemKind[]) =>
  Object.fromEntries(
    [...new Set(kinds.map((kind) => problemTypes[kind].status))].map((status) => [
      status,
      {
        description: kinds
          .filter((k) => problemTypes[k].status === status)
          .map((k) => problemTypes[k].title)
          .join('; '),
        content: {
          'application/problem+json': { schema: problem },
          // In AWS the JWT authorizer answers a missing or bad token itself, with API Gateway's own body.
          ...(status === 401 ? { 'application/json': { schema: z.object({ message: z.string() }) } } : {}),
        },
      },
    ]),
  );

const etag = { ETag: { description: 'The ticket stream version, quoted', schema: { type: 'string' as const } } };
const policyEtag = { ETag: { description: 'The policy stream version, quoted', schema: { type: 'string' as const } } };
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const authProblems: ProblemKind[] = ['unauthorized', 'forbidden', 'internal', 'unavailable'];
const bodyProblems: ProblemKind[] = ['validation', 'malformedJson', 'payloadTooLarge', 'unsupportedMediaType'];
const idempotencyHeader = z.object({ 'idempotency-key': idempotencyKeySchema.optional() });
const ifMatchHeader = z.object({ 'if-match': ifMatchSchema.optional() });

type Operation = Omit<RouteConfig, 'method' | 'path'> & { 'x-refusals'?: Refusal[] };

/** A 400 that a schema-valid request can still get: where its error points, and why. */
interface Refusal {
  in: 'body' | 'query';
  /** A JSON Pointer into that part; `*` stands for any array index. */
  path: string;
  when: string;
}
const refusal = (part: Refusal['in'], path: string, when: string): Refusal => ({ in: part, path, when });
const opaqueCursor = refusal('query', '/cursor', 'cursor is not a nextCursor this API gave for the same query');
const operations: Record<string, Operation> = {
  'GET /health': {
    operationId: 'getHealth',
    tags: ['Meta'],
    summary: 'Liveness of this regional endpoint',
    responses: { 200: { description: 'Up', ...json(z.object({ status: z.literal('ok'), region: z.string() })) } },
  },
  'GET /openapi.json': {
    operationId: 'getOpenApiDocument',
    tags: ['Meta'],
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1', ...json(z.record(z.string(), z.unknown())) } },
  },
  'GET /docs': {
    operationId: 'getDocsPage',
    tags: ['Meta'],
    summary: 'This document, rendered',
    responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
  },
  'GET /docs/{asset}': {
    operationId: 'getDocsAsset',
    tags: ['Meta'],
    summary: 'Assets of the rendered document',
    request: { params: z.object({ asset: z.string() }) },
    responses: {
      200: {
        description: 'Script or style sheet',
        content: { 'text/javascript': { schema: z.string() }, 'text/css': { schema: z.string() } },
      },
      ...problems('notFound'),
    },
  },
  'POST /v1/tickets': {
    operationId: 'createTicket',
    tags: ['Tickets'],
    summary: 'Open a ticket',
    description:
      "Accepted only in the requester's home region (from requester.country, or the tenant's residency policy); " +
      'anywhere else 421 names the region and its endpoint, and nothing is written. Names, contacts, the subject line ' +
      'and message text are encrypted per data subject before they are stored.',
    request: { body: json(createTicketBody), headers: idempotencyHeader },
    responses: {
      201: { description: 'Opened', headers: { ...etag, Location: { schema: { type: 'string' } } }, ...json(ticketView) },
      ...problems(...bodyProblems, ...authProblems, 'conflict', 'idempotencyKeyReused', 'wrongRegion'),
    },
  },
  'GET /v1/tickets': {
    operationId: 'listTickets',
    tags: ['Tickets'],
    summary: "An agent queue: the tenant's tickets, filtered, oldest first",
    description:
      'Personal data is returned in plain form to agents, supervisors, integrators and DPOs; auditors get it sealed ' +
      '(pii:1:...), as stored. requesterEmail needs one of the former roles.',
    request: { query: listTicketsQuery },
    'x-refusals': [opaqueCursor],
    responses: { 200: { description: 'A page', ...json(ticketPage) }, ...problems('validation', ...authProblems) },
  },
  'GET /v1/tickets/{id}': {
    operationId: 'getTicket',
    tags: ['Tickets'],
    summary: 'A ticket (read-your-writes)',
    request: { params: ticketIdParams, headers: z.object({ 'if-none-match': ifNoneMatchSchema.optional() }) },
    responses: {
      200: { description: 'The ticket', headers: etag, ...json(ticketView) },
      304: { description: 'Not modified since the ETag given in If-None-Match' },
      ...problems('validation', 'notFound', ...authProblems),
    },
  },
  'PATCH /v1/tickets/{id}': {
    operationId: 'updateTicket',
    tags: ['Tickets'],
    summary: 'Change status, priority, assignee, team or tags in one step',
    request: {
      params: ticketIdParams,
      body: json(patchTicketBody),
      headers: ifMatchHeader,
    },
    responses: {
      200: { description: 'The changed ticket', headers: etag, ...json(ticketView) },
      ...problems(...bodyProblems, 'notFound', 'conflict', 'preconditionFailed', ...authProblems),
    },
  },
  'POST /v1/tickets/{id}/messages': {
    operationId: 'addMessage',
    tags: ['Tickets'],
    summary: 'Add a public reply or an internal note',
    request: { params: ticketIdParams, body: json(addMessageBody), headers: idempotencyHeader },
    responses: {
      201: { description: 'Added', headers: etag, ...json(messageView) },
      ...problems(...bodyProblems, 'notFound', 'conflict', 'idempotencyKeyReused', ...authProblems),
    },
  },
  'GET /v1/tickets/{id}/messages': {
    operationId: 'listMessages',
    tags: ['Tickets'],
    summary: "The ticket's messages, oldest first",
    request: { params: ticketIdParams },
    responses: {
      200: { description: 'Messages', headers: etag, ...json(messageList) },
      ...problems('validation', 'notFound', ...authProblems),
    },
  },
  'GET /v1/tickets/{id}/events': {
    operationId: 'listTicketEvents',
    tags: ['Tickets'],
    summary: "The ticket's history",
    request: { params: ticketIdParams },
    responses: {
      200: { description: 'Events, in stream order', headers: etag, ...json(eventList) },
      ...problems('validation', 'notFound', ...authProblems),
    },
  },
  'GET /v1/audit/tickets/{id}': {
    operationId: 'replayTicket',
    tags: ['Audit'],
    summary: 'Replay a ticket to an instant (auditor, dpo)',
    description:
      'The ticket as it was at `at` (its stream folded up to the last event recorded at or before it) and those events ' +
      'exactly as stored, with prevHash and hash, so the chain can be checked independently. Like every auditor read, ' +
      'this one is recorded as an AuditorRead event.',
    request: { params: ticketIdParams, query: auditTicketQuery },
    responses: {
      200: { description: 'The ticket then, and its events up to then', ...json(auditTicketView) },
      ...problems('validation', 'notFound', ...authProblems),
    },
  },
  'GET /v1/audit/events': {
    operationId: 'exportAuditEvents',
    tags: ['Audit'],
    summary: "The tenant's events in region log order, for incremental export (auditor, dpo)",
    description:
      'Pages of the region log (the order in which events were committed in this region), filtered to your tenant, each ' +
      'entry with its stored event. Pass nextCursor back to continue; stop when hasMore is false, and resume later from ' +
      'the last nextCursor.',
    request: { query: auditEventsQuery },
    responses: { 200: { description: 'A page of the log', ...json(auditEventPage) }, ...problems('validation', ...authProblems) },
  },
  'POST /v1/dsar': {
    operationId: 'createDsar',
    tags: ['Data subject requests'],
    summary: 'File a data-subject request (dpo)',
    description:
      'Access, export, erasure or rectification for one data subject, answered asynchronously: 202 with the request, its ' +
      'status and dueAt (gdpr one calendar month, ccpa 45 days, pipl 30 days). Fulfilment runs off the regional bus; a ' +
      'warning goes out 7 days before dueAt and an escalation at dueAt while the request is open. Erasure crypto-shreds ' +
      "the subject's and their tickets' data keys: their personal fields read null everywhere since, and the history still verifies.",
    request: { body: json(createDsarBody), headers: idempotencyHeader },
    responses: {
      202: { description: 'Accepted', headers: { Location: { schema: { type: 'string' } } }, ...json(dsarView) },
      ...problems(...bodyProblems, ...authProblems, 'conflict', 'idempotencyKeyReused'),
    },
  },
  'GET /v1/dsar': {
    operationId: 'listDsars',
    tags: ['Data subject requests'],
    summary: "The tenant's data-subject requests, oldest first, by status and type (dpo)",
    description:
      'From the projection, so a request filed a moment ago may take a second to appear. status=overdue lists every request escalated at its dueAt and still open.',
    request: { query: listDsarsQuery },
    'x-refusals': [opaqueCursor],
    responses: { 200: { description: 'A page', ...json(dsarPage) }, ...problems('validation', ...authProblems) },
  },
  'GET /v1/dsar/{id}': {
    operationId: 'getDsar',
    tags: ['Data subject requests'],
    summary: 'A data-subject request: status, history and result (dpo)',
    request: { params: dsarIdParams },
    responses: { 200: { description: 'The request', ...json(dsarView) }, ...problems('validation', 'notFound', ...authProblems) },
  },
  'GET /v1/dsar/{id}/export': {
    operationId: 'getDsarExport',
    tags: ['Data subject requests'],
    summary: 'The bundle of a fulfilled access or export request (dpo)',
    description:
      'JSON (format meridian.dsar-bundle/1): every ticket of the subject in this region with its messages and events, ' +
      "decrypted. 409 until the request is fulfilled; 410 once the subject was erased (the bundle was sealed with the subject's key).",
    request: { params: dsarIdParams },
    responses: {
      200: { description: 'The bundle', ...json(z.record(z.string(), z.unknown())) },
      ...problems('validation', 'notFound', 'conflict', 'gone', ...authProblems),
    },
  },
  'GET /v1/retention-policy': {
    operationId: 'getRetentionPolicy',
    tags: ['Retention'],
    summary: "The tenant's retention policy (dpo, auditor)",
    description: 'A tenant that never set one keeps its tickets: eraseClosedTicketsAfterDays null, version 0.',
    responses: { 200: { description: 'The policy', headers: policyEtag, ...json(retentionPolicyView) }, ...problems(...authProblems) },
  },
  'PUT /v1/retention-policy': {
    operationId: 'putRetentionPolicy',
    tags: ['Retention'],
    summary: 'Set how long closed tickets are kept (dpo)',
    description:
      "Recorded as RetentionPolicySet on the tenant's policy stream (audited). A daily job then crypto-shreds every ticket " +
      'closed for longer than eraseClosedTicketsAfterDays: its own data key is destroyed (subject, description, messages no ' +
      'longer open) and TicketErased {reason: retention} is appended as the evidence. Contact details belong to the requester ' +
      'and stay until the requester is erased. If-Match guards against overwriting a policy changed meanwhile.',
    request: { body: json(retentionPolicyBody), headers: ifMatchHeader },
    responses: {
      200: { description: 'The policy in force', headers: policyEtag, ...json(retentionPolicyView) },
      ...problems(...bodyProblems, ...authProblems, 'preconditionFailed', 'conflict'),
    },
  },
  'GET /v1/retention-policy/dry-run': {
    operationId: 'previewRetention',
    tags: ['Retention'],
    summary: 'What the retention job would erase now (dpo, auditor)',
    description: 'Closed tickets not yet erased, closed at or before closedBy, oldest first; from the projection. Erases nothing.',
    request: { query: retentionDryRunQuery },
    'x-refusals': [opaqueCursor],
    responses: { 200: { description: 'A page', ...json(retentionDryRunPage) }, ...problems('validation', ...authProblems) },
  },
};

for (const [path, body, what, operationId] of [
  ['satisfaction', satisfactionBody, 'CSAT, 1-5', 'rateSatisfaction'],
  ['nps', npsBody, 'NPS, 0-10', 'rateNps'],
] as const) {
  operations[`POST /v1/tickets/{id}/${path}`] = {
    operationId,
    tags: ['Tickets'],
    summary: `The requester's survey answer (${what}), once the ticket is solved`,
    description:
      "A later answer replaces the earlier; the comment is sealed with the ticket's key like its other text. 409 not_solved before the ticket was solved.",
    request: { params: ticketIdParams, body: json(body), headers: idempotencyHeader },
    responses: {
      201: { description: 'Recorded', headers: etag, ...json(ticketView) },
      ...problems(...bodyProblems, ...authProblems, 'notFound', 'conflict', 'idempotencyKeyReused'),
    },
  };
}
operations['POST /v1/app-reviews'] = {
  operationId: 'importAppReviews',
  tags: ['Channels'],
  summary: 'Import app-store reviews: one ticket per review, an edit as a new message on it (agent, supervisor, integrator)',
  description:
    'A review whose storefront country lives in another region is not stored here: its id comes back under otherRegion. Ratings 1-2 open as high priority; tags app-review, the store and rating-N.',
  request: { body: json(appReviewImport) },
  responses: {
    200: {
      description: 'Imported',
      ...json(
        z.object({ imported: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), otherRegion: z.array(z.string()) }),
      ),
    },
    ...problems(...bodyProblems, ...authProblems),
  },
};
operations['GET /v1/metrics'] = {
  operationId: 'getMetrics',
  tags: ['Metrics'],
  summary: "Support metrics over the tenant's tickets created in a period (supervisor, integrator, auditor)",
  description:
    'First response time (creation to the first public agent reply), handle time (creation to the first solve, less time ' +
    'pending or on hold), resolution rate (solved over tickets), service level (first replies within the first-reply target ' +
    'over those with one), CSAT (answers 4-5 over answers, and the average) and NPS (promoters 9-10 less detractors 0-6, in ' +
    'percent). Computed from the ticket views, so a rebuild gives the same numbers; days are UTC.',
  request: { query: metricsQuery },
  'x-refusals': [
    refusal('query', '/to', `to is before from (${metricsPeriodRules.ordered})`),
    refusal('query', '/to', `the period is longer than allowed (${metricsPeriodRules.length})`),
    refusal('query', '/from', `more tickets were created in the period than one answer counts (${metricsPeriodRules.tickets})`),
  ],
  responses: { 200: { description: 'The numbers', ...json(metricsView) }, ...problems('validation', ...authProblems) },
};
operations['GET /v1/requesters/{id}'] = {
  operationId: 'getRequester',
  tags: ['Requesters'],
  summary: 'The requester 360: one data subject across every channel, newest ticket first',
  description:
    'From the requester index (a projection). Personal values are plain for roles that may read personal data, sealed for auditors.',
  request: { params: requesterIdParams },
  responses: { 200: { description: 'The requester', ...json(requesterView) }, ...problems('validation', 'notFound', ...authProblems) },
};
operations['POST /v1/requesters/{id}/contacts'] = {
  operationId: 'linkContact',
  tags: ['Requesters'],
  summary: "Link another handle (email, phone, messenger id) to the requester, so that channel's messages join their history",
  request: { params: requesterIdParams, body: json(linkContactBody) },
  responses: { 204: { description: 'Linked (or already was)' }, ...problems(...bodyProblems, 'notFound', 'conflict', ...authProblems) },
};
operations['GET /v1/channels'] = {
  operationId: 'listChannels',
  tags: ['Channels'],
  summary: 'The connected channels (any role); secrets are named, never shown',
  responses: { 200: { description: 'All of them', ...json(listOf(channelView, 'ChannelConnectionList')) }, ...problems(...authProblems) },
};
operations['GET /v1/channels/{channel}'] = {
  operationId: 'getChannel',
  tags: ['Channels'],
  summary: 'One connected channel (any role)',
  request: { params: channelParams },
  responses: { 200: { description: 'The connection', ...json(channelView) }, ...problems('validation', 'notFound', ...authProblems) },
};
/** One PUT per channel in the document (the API has one route): each channel takes its own secrets. */
for (const channel of intakeChannels) {
  operations[`PUT /v1/channels/${channel}`] = {
    operationId: `connect${channel[0]!.toUpperCase()}${channel.slice(1)}`,
    tags: ['Channels'],
    summary: `Connect a ${channel} account to the intake webhook (supervisor)`,
    description:
      "The secrets are sealed with the tenant's channel key before they are recorded. The provider then calls " +
      `POST /intake/{tenant}/${channel}${channel === 'whatsapp' || channel === 'facebook' ? '; Meta verifies the URL with GET and the verifyToken' : ''}.`,
    request: { body: json(channelBodyOf(channel)) },
    responses: {
      200: { description: 'Replaced (a rotation)', ...json(channelView) },
      201: { description: 'Connected', headers: { Location: { schema: { type: 'string' } } }, ...json(channelView) },
      ...problems(...bodyProblems, ...authProblems),
    },
  };
}
const intakeParams = z.object({ tenant: z.string(), channel: z.enum(intakeChannels) });
operations['GET /intake/{tenant}/{channel}'] = {
  operationId: 'verifyIntakeWebhook',
  tags: ['Intake'],
  summary: "Meta's webhook verification (WhatsApp, Messenger): echoes hub.challenge when hub.verify_token matches",
  request: {
    params: intakeParams,
    query: z.object({
      'hub.mode': z.string().optional(),
      'hub.verify_token': z.string().optional(),
      'hub.challenge': z.string().optional(),
    }),
  },
  responses: {
    200: { description: 'The challenge', content: { 'text/plain': { schema: z.string() } } },
    ...problems('forbidden', 'notFound', 'internal', 'unavailable'),
  },
};
operations['POST /intake/{tenant}/{channel}'] = {
  operationId: 'receiveIntakeWebhook',
  tags: ['Intake'],
  summary: "A provider's webhook: each message onto the requester's ticket on this channel, or a new ticket",
  description:
    "Verified by the provider's own scheme, on the raw body: WhatsApp and Messenger X-Hub-Signature-256 (sha256=hex " +
    'HMAC with the app secret), LINE X-Line-Signature (base64 HMAC with the channel secret), Telegram ' +
    'X-Telegram-Bot-Api-Secret-Token; email as Mailgun forwards raw MIME (multipart fields timestamp, token, signature = hex ' +
    'HMAC of timestamp+token with the signing key, body-mime; a timestamp 15 minutes off is refused). A missing or forged ' +
    'signature is 401 and nothing is written; a redelivered message id is recorded once. Email threads by Message-ID, ' +
    "In-Reply-To and References; the messengers by the requester's open ticket on the channel.",
  request: {
    params: intakeParams,
    body: {
      content: {
        'application/json': { schema: z.record(z.string(), z.unknown()) },
        'multipart/form-data': {
          schema: z.object({ timestamp: z.string(), token: z.string(), signature: z.string(), 'body-mime': z.string() }),
        },
      },
    },
  },
  'x-refusals': [refusal('body', '', 'the signature holds but the body is not a payload this channel sends')],
  responses: {
    200: { description: 'Received', ...json(z.object({ received: z.number().int() })) },
    ...problems('unauthorized', 'validation', 'notFound', 'wrongRegion', 'payloadTooLarge', 'internal', 'unavailable'),
  },
};

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
];
for (const kind of setupKinds) {
  const tags = ['Support setup'];
  operations[`GET ${kind.path}`] = {
    operationId: `list${kind.name === 'SlaPolicy' ? 'SlaPolicies' : `${kind.name}s`}`,
    tags,
    summary: `Every ${kind.what} of the tenant, by rank then id (any role)`,
    responses: { 200: { description: 'All of them', ...json(listOf(kind.view, kind.list)) }, ...problems(...authProblems) },
  };
  operations[`GET ${kind.path}/{id}`] = {
    operationId: `get${kind.name}`,
    tags,
    summary: `One ${kind.what} (any role)`,
    request: { params: setupIdParams },
    responses: { 200: { description: `The ${kind.what}`, ...json(kind.view) }, ...problems('validation', 'notFound', ...authProblems) },
  };
  operations[`PUT ${kind.path}/{id}`] = {
    operationId: `put${kind.name}`,
    tags,
    summary: `Create or replace a ${kind.what} (supervisor)`,
    description:
      "Recorded on the tenant's support-setup stream; putting the same again records nothing. References (calendarId, escalatesTo, team) must name items that exist.",
    request: { params: setupIdParams, body: json(kind.body) },
    'x-refusals': kind.refusals,
    responses: {
      200: { description: 'Replaced', ...json(kind.view) },
      201: { description: 'Created', headers: { Location: { schema: { type: 'string' } } }, ...json(kind.view) },
      ...problems(...bodyProblems, ...authProblems, 'conflict'),
    },
  };
  if (kind.deletable) {
    operations[`DELETE ${kind.path}/{id}`] = {
      operationId: `delete${kind.name}`,
      tags,
      summary: `Delete a ${kind.what} (supervisor)`,
      request: { params: setupIdParams },
      responses: { 204: { description: 'Deleted' }, ...problems('validation', 'notFound', ...authProblems, 'conflict') },
    };
  }
}

/** API Gateway's answer past the stage's throttle (`meridian:peakRequestsPerSecond`), before any function runs. */
const throttled = {
  description:
    'Throttled by API Gateway: more requests than the region takes per second. Retry after a pause (the local runtime never throttles).',
  content: { 'application/json': { schema: z.object({ message: z.string() }) } },
};

/** Routes the document spells out per value of a path parameter, because each value takes its own body. */
const expandedRoutes: Record<string, string[]> = {
  'PUT /v1/channels/{channel}': intakeChannels.map((channel) => `/v1/channels/${channel}`),
};

/** The concrete paths and operations the document shows for one route. */
export const documentedOperations = (route: ApiRoute): Array<{ path: string; operation: Operation }> =>
  (expandedRoutes[`${route.method} ${route.path}`] ?? [route.path]).map((path) => {
    const operation = operations[`${route.method} ${path}`];
    if (!operation) throw new Error(`no OpenAPI operation for ${route.method} ${path}`);
    return { path, operation };
  });

const tags = [
  { name: 'Tickets', description: 'Open, read, change and answer tickets' },
  { name: 'Requesters', description: 'One data subject across every channel' },
  { name: 'Channels', description: 'Provider connections and app-store imports' },
  { name: 'Intake', description: "Providers' webhooks (verified by each provider's own signature scheme)" },
  { name: 'Support setup', description: 'Calendars, teams, SLA policies and routing rules' },
  { name: 'Data subject requests', description: 'GDPR, CCPA and PIPL access, export, erasure and rectification' },
  { name: 'Retention', description: 'How long closed tickets are kept' },
  { name: 'Audit', description: 'Replay and export the event history with its hash chain' },
  { name: 'Metrics', description: 'Support metrics per period, team, channel, country and day' },
  { name: 'Meta', description: 'Health and this document' },
];

export interface DocumentOptions {
  /** This region, listed first among the servers. */
  region?: string;
  /** The API endpoint of each deployed region. */
  regionEndpoints?: Partial<Record<string, string>>;
}

export function openApiDocument(options: DocumentOptions = {}) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const route of apiRoutes) {
    for (const { path, operation } of documentedOperations(route)) {
      registry.registerPath({
        method: route.method.toLowerCase() as RouteConfig['method'],
        path,
        security: route.auth ? [{ bearer: [] }] : [],
        ...operation,
        responses: { ...operation.responses, 429: throttled },
        ...(operation.request?.body ? { request: { ...operation.request, body: { ...operation.request.body, required: true } } } : {}),
      });
    }
  }
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Meridian',
      version: '1',
      description:
        'Event-sourced customer-support ticketing. One endpoint per region; errors are RFC 9457 problem+json. ' +
        'Where a request can match its schemas and still be refused with 400 (fields that constrain each other, a ' +
        'reference to an item that does not exist, a cursor this API did not give), the operation lists each case in ' +
        '`x-refusals`: the request part, the JSON Pointer the 400 names, and when.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: serversOf(options),
    tags,
  });
  return closeTuples(document);
}

function serversOf({ region, regionEndpoints = {} }: DocumentOptions) {
  const entries = Object.entries(regionEndpoints).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const ordered = [...entries.filter(([name]) => name === region), ...entries.filter(([name]) => name !== region)];
  const servers = ordered.map(([name, url]) => ({ url, description: name === region ? `${name} (this endpoint)` : name }));
  return servers.length > 0 ? servers : [{ url: '/', description: 'This endpoint' }];
}

/** A zod tuple takes exactly its items; the generator writes prefixItems only, so the lengths are added here. */
function closeTuples<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(closeTuples);
  else if (node && typeof node === 'object') {
    const schema = node as Record<string, unknown>;
    if (Array.isArray(schema.prefixItems) && schema.items === undefined) {
      schema.minItems ??= schema.prefixItems.length;
      schema.maxItems ??= schema.prefixItems.length;
    }
    Object.values(schema).forEach(closeTuples);
  }
  return node;
}
