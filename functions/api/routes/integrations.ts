import { authProblems, bodyProblems, json, opaqueCursor, problems, refusal, route } from '../openapi/operation.ts';
import { changePage, changesQuery } from '../schemas/changes.ts';
import {
  createdWebhook,
  deliveriesQuery,
  deliveryPage,
  deliveryParams,
  deliveryView,
  replayAccepted,
  replayBody,
  rotatedSecret,
  webhookBody,
  webhookList,
  webhookParams,
  webhookPatch,
  webhookView,
} from '../schemas/webhooks.ts';

const tags = ['Integrations'];
const eventPatternRefusal = refusal('body', '/events', 'a pattern EventBridge would refuse (each problem names its path in the pattern)');
const who = '(integrator, supervisor)';
const location = { Location: { schema: { type: 'string' as const } } };

/** What integrators build on: the change feed, and webhook subscriptions. */
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
  route('POST', '/v1/webhooks', 'webhooks', {
    operationId: 'createWebhook',
    tags,
    summary: `Subscribe a URL to your tenant's events ${who}`,
    description:
      'Deliveries follow the Standard Webhooks specification (standardwebhooks.com): headers webhook-id (the event id, the same on ' +
      'every attempt), webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 of id.timestamp.body> with the secret ' +
      'answered here, once). The body is a Change, as GET /v1/changes gives it: the PII-free event, its seq and hash in your tenant ' +
      'log, and the seq and hash of the delivery before it to this subscription. Events are sent one at a time in log order, from the ' +
      'first one logged after the subscription is made. An answer other than 2xx (or none within 10 seconds) is retried after 5 s, ' +
      '5 min, 30 min, 2 h, 5 h, 10 h and 10 h, later events waiting; after the eighth failure the subscription is paused on that ' +
      'event. URLs are https:// to public addresses only (checked on every connection); no redirect is followed.',
    request: { body: json(webhookBody) },
    'x-refusals': [eventPatternRefusal],
    responses: {
      201: { description: 'Subscribed; the signing secret is shown this once', headers: location, ...json(createdWebhook) },
      ...problems(...bodyProblems, 'refusedUrl', ...authProblems, 'conflict'),
    },
  }),
  route('GET', '/v1/webhooks', 'webhooks', {
    operationId: 'listWebhooks',
    tags,
    summary: `Every webhook subscription of your tenant ${who}`,
    responses: { 200: { description: 'All of them', ...json(webhookList) }, ...problems(...authProblems) },
  }),
  route('GET', '/v1/webhooks/{id}', 'webhooks', {
    operationId: 'getWebhook',
    tags,
    summary: `One webhook subscription ${who}`,
    request: { params: webhookParams },
    responses: { 200: { description: 'The subscription', ...json(webhookView) }, ...problems('validation', 'notFound', ...authProblems) },
  }),
  route('PATCH', '/v1/webhooks/{id}', 'webhooks', {
    operationId: 'changeWebhook',
    tags,
    summary: `Change a subscription's URL, events, description, or switch it on or off ${who}`,
    description: 'Switching a paused subscription on resumes it from the event it was paused on: nothing is skipped.',
    request: { params: webhookParams, body: json(webhookPatch) },
    'x-refusals': [eventPatternRefusal],
    responses: {
      200: { description: 'Changed', ...json(webhookView) },
      ...problems(...bodyProblems, 'refusedUrl', 'notFound', ...authProblems, 'conflict'),
    },
  }),
  route('DELETE', '/v1/webhooks/{id}', 'webhooks', {
    operationId: 'deleteWebhook',
    tags,
    summary: `Delete a subscription ${who}`,
    request: { params: webhookParams },
    responses: { 204: { description: 'Deleted' }, ...problems('validation', 'notFound', ...authProblems, 'conflict') },
  }),
  route('POST', '/v1/webhooks/{id}/rotate-secret', 'webhooks', {
    operationId: 'rotateWebhookSecret',
    tags,
    summary: `A new signing secret; the earlier ones keep signing beside it for 24 hours ${who}`,
    request: { params: webhookParams },
    responses: {
      200: { description: 'The new secret, shown once', ...json(rotatedSecret) },
      ...problems('validation', 'notFound', ...authProblems, 'conflict'),
    },
  }),
  route('GET', '/v1/webhooks/{id}/deliveries', 'webhooks', {
    operationId: 'listWebhookDeliveries',
    tags,
    summary: `The subscription's deliveries, newest first, kept 30 days ${who}`,
    request: { params: webhookParams, query: deliveriesQuery },
    'x-refusals': [opaqueCursor],
    responses: {
      200: { description: 'A page of deliveries', ...json(deliveryPage) },
      ...problems('validation', 'notFound', ...authProblems),
    },
  }),
  route('POST', '/v1/webhooks/{id}/deliveries/{deliveryId}/retry', 'webhooks', {
    operationId: 'retryWebhookDelivery',
    tags,
    summary: `Send one delivery again, now, with the body it had ${who}`,
    description:
      'Answers with the attempt recorded. When the subscription is waiting on this delivery and it gets through, the later events follow at once.',
    request: { params: deliveryParams },
    responses: {
      200: { description: 'The delivery after this attempt', ...json(deliveryView) },
      ...problems('validation', 'notFound', ...authProblems),
    },
  }),
  route('POST', '/v1/webhooks/{id}/replay', 'webhooks', {
    operationId: 'replayWebhook',
    tags,
    summary: `Send everything matching again, in order, from a seq or an instant ${who}`,
    description:
      'The subscription goes back to fromSeq (or the first event logged at or after since) and sends every matching event from ' +
      'there, with the webhook-id each had, then carries on with the live ones.',
    request: { params: webhookParams, body: json(replayBody) },
    responses: { 202: { description: 'Replaying', ...json(replayAccepted) }, ...problems(...bodyProblems, 'notFound', ...authProblems) },
  }),
];
