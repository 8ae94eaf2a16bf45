import { authProblems, json, opaqueCursor, problems, route } from '../openapi/operation.ts';
import { changePage, changesQuery } from '../schemas/changes.ts';

/** What integrators build on: the change feed. */
export const integrationRoutes = [
  route('GET', '/v1/changes', 'changes', {
    operationId: 'listChanges',
    tags: ['Integrations'],
    summary: "The tenant's change feed, in tenant log order (integrator, supervisor)",
    description:
      'Every ticket and data-subject-request event of your tenant in the order your tenant log holds them, in the ' +
      'PII-free form the event bus carries (ids, types, times and facts; never a name, contact, subject line or message ' +
      'text: read those through the API with your own token). Start without a cursor, pass nextCursor back until ' +
      'endOfStream is true, keep the last nextCursor and poll with it later: each change comes once, in order. Each item ' +
      "names the seq and hash of the change before it, so a gap or a reordering shows on the reader's side.",
    request: { query: changesQuery },
    'x-refusals': [opaqueCursor],
    responses: { 200: { description: 'A page of changes', ...json(changePage) }, ...problems('validation', ...authProblems) },
  }),
];
