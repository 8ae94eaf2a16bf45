import * as z from 'zod';
import { authProblems, bodyProblems, idempotencyHeader, json, opaqueCursor, problems, route } from '../openapi/operation.ts';
import { createDsarBody, dsarIdParams, dsarPage, dsarView, erasureReceiptView, listDsarsQuery } from '../schemas/dsar.ts';

/** Data-subject requests. */
export const dsarRoutes = [
  route('POST', '/v1/dsar', 'create-dsar', {
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
  }),
  route('GET', '/v1/dsar', 'list-dsars', {
    operationId: 'listDsars',
    tags: ['Data subject requests'],
    summary: "The tenant's data-subject requests, oldest first, by status and type (dpo)",
    description:
      'From the projection, so a request filed a moment ago may take a second to appear. status=overdue lists every request escalated at its dueAt and still open.',
    request: { query: listDsarsQuery },
    'x-refusals': [opaqueCursor],
    responses: { 200: { description: 'A page', ...json(dsarPage) }, ...problems('validation', ...authProblems) },
  }),
  route('GET', '/v1/dsar/{id}', 'get-dsar', {
    operationId: 'getDsar',
    tags: ['Data subject requests'],
    summary: 'A data-subject request: status, history and result (dpo)',
    request: { params: dsarIdParams },
    responses: { 200: { description: 'The request', ...json(dsarView) }, ...problems('validation', 'notFound', ...authProblems) },
  }),
  route('GET', '/v1/dsar/{id}/export', 'dsar-export', {
    operationId: 'getDsarExport',
    tags: ['Data subject requests'],
    summary: 'The bundle of a fulfilled access or export request (dpo)',
    description:
      'JSON (format meridian.dsar-bundle/1): every ticket of the subject in this region with its messages, the files attached ' +
      'to them (files: id, contentType, size, sha256 and the bytes in base64) and its events, ' +
      "decrypted. 409 until the request is fulfilled; 410 once the subject was erased (the bundle was sealed with the subject's key).",
    request: { params: dsarIdParams },
    responses: {
      200: { description: 'The bundle', ...json(z.record(z.string(), z.unknown())) },
      ...problems('validation', 'notFound', 'conflict', 'gone', ...authProblems),
    },
  }),
  route('GET', '/v1/dsar/{id}/receipt', 'dsar-receipt', {
    operationId: 'getDsarReceipt',
    tags: ['Data subject requests'],
    summary: 'The receipt of a fulfilled erasure request (dpo)',
    description:
      "JSON (receipt meridian-erasure-receipt): proofs, under the newest signed heads digest, of the request's " +
      "DsarFulfilled event, the subject's SubjectErased and a TicketErased for each of the subject's tickets. They hold " +
      'ids, counts and times, no personal data. Check it offline with `npm run -s audit -- check-proof receipt.json ' +
      '--public-key key.pem` (docs/audit.md). 404 for a request that is not an erasure; 409 code dsar_not_fulfilled ' +
      'until it is fulfilled, then 409 code not-yet-covered until the next digest (within minutes) covers its events.',
    request: { params: dsarIdParams },
    responses: {
      200: { description: 'The receipt', ...json(erasureReceiptView) },
      ...problems('validation', 'notFound', 'conflict', ...authProblems),
    },
  }),
];
