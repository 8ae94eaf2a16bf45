import * as z from 'zod';
import type { WebhookEvent } from '../domain/webhook/events.ts';
import type { WebhookFilter } from '../domain/webhook/vocabulary.ts';
import type { BusEvent } from './bus-events.ts';
import { eventFormOf, type ParsedEvent, type SameShape } from './event-form.ts';
import { type EventPattern, matchesPattern } from './event-pattern.ts';

/** Webhook ids are Meridian's (ULIDs). */
export const webhookIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a webhook id (26 characters, Crockford base 32)');

/** Event type names, or an EventBridge-style pattern (checked by events/event-pattern-check.ts when a subscription is made). */
export const webhookFilterSchema = z.union([z.array(z.string()), z.record(z.string(), z.unknown())]);

const changes = z.object({
  url: z.string().optional(),
  events: webhookFilterSchema.optional(),
  description: z.string().nullable().optional(),
  active: z.boolean().optional(),
});

/** The payload of every webhook event (stream `webhooks#<tenant>`); secrets are sealed with the tenant's secrets key. */
export const webhookEventSchemas = {
  WebhookCreated: {
    schemaVersion: 1,
    data: z.object({
      webhook: z.object({
        id: webhookIdSchema,
        url: z.string(),
        events: webhookFilterSchema,
        description: z.string().nullable(),
        active: z.boolean(),
        secret: z.string(),
        startsAfter: z.number().int().min(0),
      }),
    }),
  },
  WebhookChanged: { schemaVersion: 1, data: z.object({ id: webhookIdSchema, changes }) },
  WebhookSecretRotated: { schemaVersion: 1, data: z.object({ id: webhookIdSchema, secret: z.string(), previousUntil: z.iso.datetime() }) },
  WebhookPaused: { schemaVersion: 1, data: z.object({ id: webhookIdSchema, reason: z.string() }) },
  WebhookDeleted: { schemaVersion: 1, data: z.object({ id: webhookIdSchema }) },
} as const satisfies Record<WebhookEvent['type'], unknown>;

true satisfies SameShape<ParsedEvent<typeof webhookEventSchemas>, WebhookEvent>;

export const webhooksStreamId = (tenantId: string): string => `webhooks#${tenantId}`;

export const webhookEventForm = eventFormOf<WebhookEvent>(webhookEventSchemas);

/**
 * Whether a subscription's filter takes a PII-free event: a list names event types; a pattern
 * matches as an EventBridge rule would match the event on the bus (`source`, `detail-type`, `detail`).
 */
/** A rule's WebhookNotified goes to the subscription it names, whatever its filter (and to no other); every other change by the filter. */
export const webhookReceives = (subscription: { id: string; events: WebhookFilter }, event: BusEvent): boolean =>
  event.detailType === 'WebhookNotified'
    ? (event.detail as { webhookId?: unknown }).webhookId === subscription.id
    : webhookMatches(subscription.events, event);

export const webhookMatches = (filter: WebhookFilter, event: BusEvent): boolean =>
  Array.isArray(filter)
    ? filter.includes(event.detailType)
    : matchesPattern(filter as EventPattern, { source: event.source, 'detail-type': event.detailType, detail: event.detail });
