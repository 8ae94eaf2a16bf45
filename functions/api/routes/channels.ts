import * as z from 'zod';
import { intakeChannels } from '../../../domain/setup/vocabulary.ts';
import {
  authProblems,
  bodyProblems,
  json,
  type Operation,
  problems,
  publicRoute,
  type Route,
  refusal,
  route,
} from '../openapi/operation.ts';
import { appReviewImport, channelBodyOf, channelParams, channelView } from '../schemas/channels.ts';
import { listOf } from '../schemas/common.ts';

/** Provider connections, their intake webhooks, and app-store imports. */
const intakeParams = z.object({ tenant: z.string(), channel: z.enum(intakeChannels) });

const connectChannel = (channel: (typeof intakeChannels)[number]): Operation => ({
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
});

export const channelRoutes = [
  route('GET', '/v1/channels', 'support-setup', {
    operationId: 'listChannels',
    tags: ['Channels'],
    summary: 'The connected channels (any role); secrets are named, never shown',
    responses: {
      200: { description: 'All of them', ...json(listOf(channelView, 'ChannelConnectionList')) },
      ...problems(...authProblems),
    },
  }),
  route('GET', '/v1/channels/{channel}', 'support-setup', {
    operationId: 'getChannel',
    tags: ['Channels'],
    summary: 'One connected channel (any role)',
    request: { params: channelParams },
    responses: { 200: { description: 'The connection', ...json(channelView) }, ...problems('validation', 'notFound', ...authProblems) },
  }),
  {
    method: 'PUT',
    path: '/v1/channels/{channel}',
    fn: 'support-setup',
    auth: true,
    // One operation per channel in the document (the API has one route): each channel takes its own secrets.
    documents: intakeChannels.map((channel) => ({ path: `/v1/channels/${channel}`, operation: connectChannel(channel) })),
  } satisfies Route<'support-setup'>,
  route('POST', '/v1/app-reviews', 'import-app-reviews', {
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
          z.object({
            imported: z.number().int(),
            updated: z.number().int(),
            unchanged: z.number().int(),
            otherRegion: z.array(z.string()),
          }),
        ),
      },
      ...problems(...bodyProblems, ...authProblems),
    },
  }),
  publicRoute('GET', '/intake/{tenant}/{channel}', 'intake', {
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
  }),
  publicRoute('POST', '/intake/{tenant}/{channel}', 'intake', {
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
  }),
];
