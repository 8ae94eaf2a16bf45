import { authProblems, bodyProblems, ifMatchHeader, json, opaqueCursor, policyEtag, problems, route } from '../openapi/operation.ts';
import { retentionDryRunPage, retentionDryRunQuery, retentionPolicyBody, retentionPolicyView } from '../schemas/retention.ts';

/** The retention policy and its dry run. */
export const retentionRoutes = [
  route('GET', '/v1/retention-policy', 'get-retention-policy', {
    operationId: 'getRetentionPolicy',
    tags: ['Retention'],
    summary: "The tenant's retention policy (dpo, auditor)",
    description: 'A tenant that never set one keeps its tickets: eraseClosedTicketsAfterDays null, version 0.',
    responses: { 200: { description: 'The policy', headers: policyEtag, ...json(retentionPolicyView) }, ...problems(...authProblems) },
  }),
  route('PUT', '/v1/retention-policy', 'put-retention-policy', {
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
  }),
  route('GET', '/v1/retention-policy/dry-run', 'retention-dry-run', {
    operationId: 'previewRetention',
    tags: ['Retention'],
    summary: 'What the retention job would erase now (dpo, auditor)',
    description: 'Closed tickets not yet erased, closed at or before closedBy, oldest first; from the projection. Erases nothing.',
    request: { query: retentionDryRunQuery },
    'x-refusals': [opaqueCursor],
    responses: { 200: { description: 'A page', ...json(retentionDryRunPage) }, ...problems('validation', ...authProblems) },
  }),
];
