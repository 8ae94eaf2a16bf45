import { authProblems, bodyProblems, json, problems, route } from '../openapi/operation.ts';
import { linkContactBody, requesterIdParams, requesterView } from '../schemas/requesters.ts';

/** The requester 360. */
export const requesterRoutes = [
  route('GET', '/v1/requesters/{id}', 'requester', {
    operationId: 'getRequester',
    tags: ['Requesters'],
    summary: 'The requester 360: one data subject across every channel, newest ticket first',
    description:
      'From the requester index (a projection). Personal values are plain for roles that may read personal data, sealed for auditors.',
    request: { params: requesterIdParams },
    responses: { 200: { description: 'The requester', ...json(requesterView) }, ...problems('validation', 'notFound', ...authProblems) },
  }),
  route('POST', '/v1/requesters/{id}/contacts', 'link-contact', {
    operationId: 'linkContact',
    tags: ['Requesters'],
    summary: "Link another handle (email, phone, messenger id) to the requester, so that channel's messages join their history",
    request: { params: requesterIdParams, body: json(linkContactBody) },
    responses: { 204: { description: 'Linked (or already was)' }, ...problems(...bodyProblems, 'notFound', 'conflict', ...authProblems) },
  }),
];
