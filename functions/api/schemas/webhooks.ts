import * as z from 'zod';
import { busDetailSchemas, dsarBusDetailSchemas } from '../../../events/bus-events.ts';
import { checkEventPattern } from '../../../events/event-pattern-check.ts';
import { webhookIdSchema } from '../../../events/webhook-events.ts';
import { sha256Hash } from './common.ts';

/** Webhook subscriptions, their deliveries, retries and replays (issue 22). */

/** The event types a subscription may name: those with a PII-free form (the bus's and the change feed's). */
export const webhookEventTypes = [...Object.keys(busDetailSchemas), ...Object.keys(dsarBusDetailSchemas)] as [string, ...string[]];

export const webhookParams = z.strictObject({ id: webhookIdSchema });
export const deliveryParams = z.strictObject({
  id: webhookIdSchema,
  deliveryId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).meta({ description: "The delivery's seq" }),
});

const url = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .meta({ description: 'https:// (locally also http://127.0.0.1 and http://localhost); never a private, loopback or link-local address' });

const pattern = z
  .record(z.string(), z.unknown())
  .superRefine((value, ctx) => {
    // Named at /events, with the place in the pattern in the message: a pattern's keys are the integrator's own.
    for (const problem of checkEventPattern(value))
      ctx.addIssue({ code: 'custom', message: `at ${problem.path || '/'}: ${problem.message}` });
  })
  .meta({
    description:
      'An EventBridge event pattern over the PII-free event, with its fields source, detail-type and detail, e.g. ' +
      '{"detail-type": ["TicketOpened"], "detail": {"priority": ["urgent"]}}',
  });

const events = z
  .union([z.array(z.enum(webhookEventTypes)).min(1).max(50), pattern])
  .meta({ description: 'Event type names (TicketOpened, StatusChanged, DsarFulfilled, ...), or an EventBridge event pattern' });

const description = z.string().trim().max(500).nullable();

export const webhookBody = z
  .strictObject({
    url,
    events,
    description: description.default(null),
    active: z.boolean().default(true).meta({ description: 'false: made switched off; nothing is delivered until it is switched on' }),
  })
  .meta({ id: 'WebhookInput' });

export const webhookPatch = z
  .strictObject({
    url: url.optional(),
    events: events.optional(),
    description: description.optional(),
    active: z.boolean().optional().meta({ description: 'true also resumes a paused subscription, from the event it was paused on' }),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'name at least one field to change')
  .meta({ id: 'WebhookPatch' });

const time = z.iso.datetime();

export const webhookView = z
  .object({
    id: webhookIdSchema,
    url: z.string(),
    events: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]),
    description: z.string().nullable(),
    active: z.boolean(),
    status: z
      .enum(['active', 'inactive', 'paused'])
      .meta({ description: 'inactive: switched off by you; paused: by Meridian, after a delivery failed for over 24 hours' }),
    paused: z.object({ reason: z.string(), at: time }).nullable(),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'Webhook' });

const secret = z.string().meta({ description: 'whsec_ and base64: verify deliveries with it (Standard Webhooks). Shown this once.' });

export const createdWebhook = webhookView.extend({ signingSecret: secret }).meta({ id: 'CreatedWebhook' });

export const rotatedSecret = z
  .object({
    signingSecret: secret,
    previousSecretsUntil: time.meta({ description: 'Until then deliveries carry a signature with the earlier secret too' }),
  })
  .meta({ id: 'RotatedWebhookSecret' });

export const webhookList = z.object({ items: z.array(webhookView) }).meta({ id: 'WebhookList' });

export const deliveryView = z
  .object({
    id: z.string().meta({ description: "The delivery's id: the event's seq in your tenant log" }),
    seq: z.number().int(),
    hash: sha256Hash,
    messageId: z.string().meta({ description: 'The webhook-id header: the same on every attempt, retry and replay' }),
    type: z.string(),
    status: z
      .enum(['delivered', 'failing', 'failed'])
      .meta({ description: 'failing: retried at nextAttemptAt, later events wait; failed: retries ran out, the subscription paused' }),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    error: z.string().nullable().meta({ description: 'Why there was no answer: a timeout, a refused address, a failed connection' }),
    latencyMs: z.number().int(),
    firstAttemptAt: time,
    lastAttemptAt: time,
    nextAttemptAt: time.nullable(),
    deliveredAt: time.nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

export const deliveriesQuery = z.strictObject({
  cursor: z.string().min(1).max(64).optional().meta({ description: 'nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const deliveryPage = z
  .object({
    items: z.array(deliveryView),
    nextCursor: z.string().nullable().meta({ description: 'Older deliveries: pass as cursor; null at the oldest kept (30 days)' }),
  })
  .meta({ id: 'WebhookDeliveryPage' });

export const replayBody = z
  .union([
    z.strictObject({ fromSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
    z.strictObject({ since: time.meta({ description: 'From the first event logged at or after this instant' }) }),
  ])
  .meta({ id: 'WebhookReplay' });

export const replayAccepted = z
  .object({
    fromSeq: z.number().int(),
    previousSeq: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The delivery the replayed ones follow (their first previousSeq); null if none is kept' }),
  })
  .meta({ id: 'WebhookReplayAccepted' });
