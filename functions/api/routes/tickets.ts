import * as z from 'zod';
import { maxLinks } from '../../../domain/ticket/vocabulary.ts';
import { maxViewsExamined } from '../../shared/ports/views.ts';
import {
  authProblems,
  bodyProblems,
  etag,
  idempotencyHeader,
  ifMatchHeader,
  json,
  opaqueCursor,
  problems,
  refusal,
  route,
} from '../openapi/operation.ts';
import { ifMatchSchema, ifNoneMatchSchema } from '../schemas/common.ts';
import {
  addMessageBody,
  createTicketBody,
  eventList,
  linkBody,
  linkParams,
  listTicketsQuery,
  macroParams,
  macroPreview,
  mergeBody,
  messageList,
  messageView,
  npsBody,
  patchTicketBody,
  satisfactionBody,
  ticketIdParams,
  ticketPage,
  ticketView,
} from '../schemas/tickets.ts';

/** Tickets, their messages and history, and the requester's survey answers. */
/** The requester's survey answers: one operation for CSAT and one for NPS. */
const rating = (path: 'satisfaction' | 'nps', body: typeof satisfactionBody | typeof npsBody, what: string, operationId: string) =>
  route('POST', `/v1/tickets/{id}/${path}`, 'rate-ticket', {
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
  });

/** Custom field values are checked against the tenant's own fields, which the document cannot know. */
const fieldRefusal = refusal(
  'body',
  '/fields/*',
  'no ticket field of the tenant has this key, the value is not one its field holds, or a required field is missing or cleared',
);

/** An upload token the API cannot take, which the document cannot know. */
const attachmentRefusal = refusal(
  'body',
  '/attachments/*',
  "no such upload token for this tenant, expired, attached already, given twice, an upload URL's file not there yet or refused, or the files together too large",
);

export const ticketRoutes = [
  route('POST', '/v1/tickets', 'create-ticket', {
    operationId: 'createTicket',
    tags: ['Tickets'],
    summary: 'Open a ticket',
    description:
      "Accepted only in the requester's home region (from requester.country, or the tenant's residency policy); " +
      'anywhere else 421 names the region and its endpoint, and nothing is written. Names, contacts, the subject line ' +
      'and message text are encrypted per data subject before they are stored. attachments (tokens from POST /v1/uploads) ' +
      'go on a requester message without text, written with the opening (the description holds the text).',
    request: { body: json(createTicketBody), headers: idempotencyHeader },
    'x-refusals': [fieldRefusal, attachmentRefusal],
    responses: {
      201: { description: 'Opened', headers: { ...etag, Location: { schema: { type: 'string' } } }, ...json(ticketView) },
      ...problems(...bodyProblems, ...authProblems, 'conflict', 'idempotencyKeyReused', 'wrongRegion'),
    },
  }),
  route('GET', '/v1/tickets', 'list-tickets', {
    operationId: 'listTickets',
    tags: ['Tickets'],
    summary: "An agent queue: the tenant's tickets, filtered, oldest first",
    description:
      'Personal data is returned in plain form to agents, supervisors, integrators and DPOs; auditors get it sealed ' +
      '(pii:1:...), as stored. requesterEmail needs one of the former roles. Custom fields filter as field.<key>=value ' +
      '(any number of them, all must hold; a multiselect matches when the option is among its values; a number, a checkbox ' +
      '(true/false) or an option must be one the field can hold; personal data fields cannot be filtered on). Field filters ' +
      `apply to the tickets read, so a page may come back short with a nextCursor after ${maxViewsExamined} tickets read: ` +
      'combine them with status, team or assignee to read fewer.',
    request: { query: listTicketsQuery },
    'x-refusals': [opaqueCursor],
    responses: { 200: { description: 'A page', ...json(ticketPage) }, ...problems('validation', ...authProblems) },
  }),
  route('GET', '/v1/tickets/{id}', 'get-ticket', {
    operationId: 'getTicket',
    tags: ['Tickets'],
    summary: 'A ticket (read-your-writes)',
    request: { params: ticketIdParams, headers: z.object({ 'if-none-match': ifNoneMatchSchema.optional() }) },
    responses: {
      200: { description: 'The ticket', headers: etag, ...json(ticketView) },
      304: { description: 'Not modified since the ETag given in If-None-Match' },
      ...problems('validation', 'notFound', ...authProblems),
    },
  }),
  route('PATCH', '/v1/tickets/{id}', 'patch-ticket', {
    operationId: 'updateTicket',
    tags: ['Tickets'],
    summary: 'Change status, priority, assignee, team or tags in one step',
    request: {
      params: ticketIdParams,
      body: json(patchTicketBody),
      headers: ifMatchHeader,
    },
    'x-refusals': [fieldRefusal],
    responses: {
      200: { description: 'The changed ticket', headers: etag, ...json(ticketView) },
      ...problems(...bodyProblems, 'notFound', 'conflict', 'preconditionFailed', ...authProblems),
    },
  }),
  route('POST', '/v1/tickets/{id}/macros/{macroId}', 'patch-ticket', {
    operationId: 'applyMacro',
    tags: ['Tickets', 'Automation'],
    summary: "Apply one of the tenant's macros as one change (If-Match required)",
    description:
      "The macro's actions are one unit of work: all of them or, if the ticket refuses one (a solve without assignee), none, " +
      'and the refusal. Replies and notes are written as the agent; the events name the macro as causationId (macro:<id>). ' +
      'Triggers then run on the change as on any other.',
    request: { params: macroParams, headers: z.object({ 'if-match': ifMatchSchema }) },
    responses: {
      200: { description: 'The changed ticket', headers: etag, ...json(ticketView) },
      ...problems('validation', 'notFound', 'conflict', 'preconditionFailed', 'preconditionRequired', ...authProblems),
    },
  }),
  route('POST', '/v1/tickets/{id}/macros/{macroId}/preview', 'patch-ticket', {
    operationId: 'previewMacro',
    tags: ['Tickets', 'Automation'],
    summary: 'The ticket as the macro would leave it (triggers included); nothing is written',
    request: { params: macroParams },
    responses: {
      200: { description: 'The ticket as it would be, and the events the macro would cause', ...json(macroPreview) },
      ...problems('validation', 'notFound', 'conflict', ...authProblems),
    },
  }),
  route('POST', '/v1/tickets/{id}/messages', 'add-message', {
    operationId: 'addMessage',
    tags: ['Tickets'],
    summary: 'Add a public reply or an internal note',
    description:
      'attachments takes the tokens POST /v1/uploads gave: each attaches once, to one message, by its tenant, within an hour of ' +
      'the upload. A file uploaded through an upload URL is checked (size and type against its bytes) when it is attached. A ' +
      'refused message (a closed ticket, say) claims none of its uploads; a retry with the same Idempotency-Key gets the first answer ' +
      'again, and a message whose write failed after its claims may be sent again.',
    request: { params: ticketIdParams, body: json(addMessageBody), headers: idempotencyHeader },
    'x-refusals': [attachmentRefusal],
    responses: {
      201: { description: 'Added', headers: etag, ...json(messageView) },
      ...problems(...bodyProblems, 'notFound', 'conflict', 'idempotencyKeyReused', ...authProblems),
    },
  }),
  route('GET', '/v1/tickets/{id}/messages', 'ticket-messages', {
    operationId: 'listMessages',
    tags: ['Tickets'],
    summary: "The ticket's messages, oldest first, with those of the tickets merged into it",
    description: "A merged ticket's messages carry its own ticketId; they are in time order with this ticket's.",
    request: { params: ticketIdParams },
    responses: {
      200: { description: 'Messages', headers: etag, ...json(messageList) },
      ...problems('validation', 'notFound', ...authProblems),
    },
  }),
  route('GET', '/v1/tickets/{id}/events', 'ticket-events', {
    operationId: 'listTicketEvents',
    tags: ['Tickets'],
    summary: "The ticket's history",
    request: { params: ticketIdParams },
    responses: {
      200: { description: 'Events, in stream order', headers: etag, ...json(eventList) },
      ...problems('validation', 'notFound', ...authProblems),
    },
  }),
  route('POST', '/v1/tickets/{id}/merge', 'ticket-relations', {
    operationId: 'mergeTickets',
    tags: ['Tickets'],
    summary: 'Merge other tickets into this one (agent)',
    description:
      'Each source is closed with mergedInto set to this ticket, and every later write to it answers 409 (code ticket_merged, ' +
      "mergedInto naming this ticket). Their messages are listed with this ticket's own, in time order, each with the ticketId it " +
      'was written on. Recorded as events on every ticket involved (MergedInto and StatusChanged on each source, MergedTicketsTaken ' +
      "here). Every ticket is checked before any is written: a source that does not exist here (another tenant's, another " +
      "region's) is 400 naming it; this ticket, a closed or already merged one is refused with 409. The same request again " +
      'completes a merge that was cut off.',
    request: { params: ticketIdParams, body: json(mergeBody) },
    'x-refusals': [
      refusal('body', '/sourceIds', 'sourceIds names this ticket'),
      refusal('body', '/sourceIds/*', 'no ticket of this tenant with that id in this region'),
    ],
    responses: {
      200: { description: 'This ticket, with the sources in mergedFrom', headers: etag, ...json(ticketView) },
      ...problems(...bodyProblems, 'notFound', 'conflict', ...authProblems),
    },
  }),
  route('POST', '/v1/tickets/{id}/links', 'ticket-relations', {
    operationId: 'linkTicket',
    tags: ['Tickets'],
    summary: 'Link another ticket to this one (related, duplicate, caused-by)',
    description:
      'The link shows on both tickets: this one shows kind, the other the reverse (caused-by shows there as causes; related and ' +
      `duplicate as themselves). Linking again with another kind replaces it. Closed tickets can be linked; a merged one cannot (409 ticket_merged). At most ${maxLinks} links per ticket.`,
    request: { params: ticketIdParams, body: json(linkBody) },
    'x-refusals': [refusal('body', '/ticketId', 'this ticket, or no ticket of this tenant with that id in this region')],
    responses: {
      200: { description: 'This ticket, with the link', headers: etag, ...json(ticketView) },
      ...problems(...bodyProblems, 'notFound', 'conflict', ...authProblems),
    },
  }),
  route('DELETE', '/v1/tickets/{id}/links/{linkedId}', 'ticket-relations', {
    operationId: 'unlinkTicket',
    tags: ['Tickets'],
    summary: 'Remove a link from both tickets',
    request: { params: linkParams },
    responses: {
      200: { description: 'This ticket, without the link', headers: etag, ...json(ticketView) },
      ...problems('validation', 'notFound', 'conflict', ...authProblems),
    },
  }),
  rating('satisfaction', satisfactionBody, 'CSAT, 1-5', 'rateSatisfaction'),
  rating('nps', npsBody, 'NPS, 0-10', 'rateNps'),
];
