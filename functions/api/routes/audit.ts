import { authProblems, json, problems, route } from '../openapi/operation.ts';
import { auditEventPage, auditEventsQuery, auditProofParams, auditProofView, auditTicketQuery, auditTicketView } from '../schemas/audit.ts';
import { ticketIdParams } from '../schemas/tickets.ts';

/** Replay and export for auditors. */
export const auditRoutes = [
  route('GET', '/v1/audit/tickets/{id}', 'audit-ticket', {
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
  }),
  route('GET', '/v1/audit/proofs/{eventId}', 'audit-proof', {
    operationId: 'proveEvent',
    tags: ['Audit'],
    summary: 'The proof of one event under the newest signed heads digest (auditor, dpo)',
    description:
      'The event as stored, the tenant log entry that names it, Merkle paths (RFC 9162) from the entry to its ' +
      "tenant's tree head and from that head to the region's, and the signed digest holding both: check it offline " +
      'with `npm run -s audit -- check-proof` and the public key of `npm run -s audit -- public-key` (docs/audit.md). ' +
      'An event logged after the newest digest is answered 409 (code not-yet-covered): the next digest, within ' +
      'minutes, covers it.',
    request: { params: auditProofParams },
    responses: {
      200: { description: 'The proof', ...json(auditProofView) },
      ...problems('validation', 'notFound', 'conflict', ...authProblems),
    },
  }),
  route('GET', '/v1/audit/events', 'audit-events', {
    operationId: 'exportAuditEvents',
    tags: ['Audit'],
    summary: "The tenant's events in tenant log order, for incremental export (auditor, dpo)",
    description:
      "Pages of your tenant's log (the order in which your tenant's events were committed in this region), each " +
      'entry with its stored event. Pass nextCursor back to continue; stop when hasMore is false, and resume later from ' +
      'the last nextCursor.',
    request: { query: auditEventsQuery },
    responses: { 200: { description: 'A page of the log', ...json(auditEventPage) }, ...problems('validation', ...authProblems) },
  }),
];
