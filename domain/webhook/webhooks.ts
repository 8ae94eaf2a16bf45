import { accept, type Decider, type Decision, type RecordedEvent, refuse } from '../decider.ts';
import type { WebhookEvent } from './events.ts';
import type { NewWebhook, SigningSecret, WebhookChanges, WebhookSubscription } from './vocabulary.ts';

/** A tenant's webhook subscriptions, as one audited stream (`webhooks#<tenant>`). */
export interface Webhooks {
  tenantId: string;
  subscriptions: Record<string, WebhookSubscription>;
  version: number;
}

export type WebhookCommand =
  | { type: 'CreateWebhook'; webhook: NewWebhook }
  | { type: 'ChangeWebhook'; id: string; changes: WebhookChanges }
  | { type: 'RotateWebhookSecret'; id: string; secret: string }
  | { type: 'PauseWebhook'; id: string; reason: string }
  | { type: 'DeleteWebhook'; id: string };

export type WebhookError = { code: 'webhook_not_found' } | { code: 'too_many_webhooks'; limit: number };

/** Subscriptions a tenant may have at once. */
export const maxWebhooks = 50;
/** How long a rotated secret keeps signing beside its successor, so receivers can switch without losing a delivery. */
export const secretOverlapMs = 24 * 3600_000;

export const noWebhooks = (tenantId: string): Webhooks => ({ tenantId, subscriptions: {}, version: 0 });

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What a change would actually change: a field set to what it is records nothing, except switching a paused subscription on. */
const effective = (subscription: WebhookSubscription, changes: WebhookChanges): WebhookChanges =>
  Object.fromEntries(
    Object.entries(changes).filter(
      ([field, value]) =>
        value !== undefined &&
        (!same(subscription[field as keyof WebhookChanges], value) || (field === 'active' && value === true && subscription.paused)),
    ),
  );

export function decideWebhooks(command: WebhookCommand, webhooks: Webhooks, now: Date): Decision<WebhookEvent, WebhookError> {
  if (command.type === 'CreateWebhook') {
    if (Object.keys(webhooks.subscriptions).length >= maxWebhooks) return refuse({ code: 'too_many_webhooks', limit: maxWebhooks });
    return accept([{ type: 'WebhookCreated', data: { webhook: command.webhook } }]);
  }
  const subscription = webhooks.subscriptions[command.id];
  if (!subscription) return refuse({ code: 'webhook_not_found' });
  switch (command.type) {
    case 'ChangeWebhook': {
      const changes = effective(subscription, command.changes);
      return accept(Object.keys(changes).length === 0 ? [] : [{ type: 'WebhookChanged', data: { id: command.id, changes } }]);
    }
    case 'RotateWebhookSecret': {
      const previousUntil = new Date(now.getTime() + secretOverlapMs).toISOString();
      return accept([{ type: 'WebhookSecretRotated', data: { id: command.id, secret: command.secret, previousUntil } }]);
    }
    case 'PauseWebhook':
      return accept(subscription.paused ? [] : [{ type: 'WebhookPaused', data: { id: command.id, reason: command.reason } }]);
    case 'DeleteWebhook':
      return accept([{ type: 'WebhookDeleted', data: { id: command.id } }]);
  }
}

/** The secrets that sign at `at`, newest first. */
export const signingSecrets = (subscription: WebhookSubscription, at: Date): string[] =>
  subscription.secrets.filter((secret) => secret.until === null || Date.parse(secret.until) > at.getTime()).map((secret) => secret.sealed);

/** Whether deliveries go out now: switched on and not paused. */
export const isDelivering = (subscription: WebhookSubscription): boolean => subscription.active && subscription.paused === null;

export function evolveWebhooks(webhooks: Webhooks, event: RecordedEvent<WebhookEvent>): Webhooks {
  const next = { ...webhooks, version: event.version };
  const put = (subscription: WebhookSubscription) => ({
    ...next,
    subscriptions: { ...webhooks.subscriptions, [subscription.id]: subscription },
  });
  if (event.type === 'WebhookCreated') {
    const { secret, ...webhook } = event.data.webhook;
    return put({
      ...webhook,
      paused: null,
      secrets: [{ sealed: secret, until: null }],
      createdAt: event.occurredAt,
      updatedAt: event.occurredAt,
    });
  }
  const subscription = { ...webhooks.subscriptions[event.data.id]!, updatedAt: event.occurredAt };
  switch (event.type) {
    case 'WebhookChanged': {
      const { changes } = event.data;
      return put({ ...subscription, ...changes, paused: changes.active === undefined ? subscription.paused : null });
    }
    case 'WebhookSecretRotated': {
      const { previousUntil } = event.data;
      const signing = (secret: SigningSecret) => secret.until === null || secret.until > event.occurredAt;
      const earlier = subscription.secrets.filter(signing).map((secret) => ({
        sealed: secret.sealed,
        until: secret.until !== null && secret.until < previousUntil ? secret.until : previousUntil,
      }));
      return put({ ...subscription, secrets: [{ sealed: event.data.secret, until: null }, ...earlier] });
    }
    case 'WebhookPaused':
      return put({ ...subscription, paused: { reason: event.data.reason, at: event.occurredAt } });
    case 'WebhookDeleted':
      return { ...next, subscriptions: Object.fromEntries(Object.entries(webhooks.subscriptions).filter(([id]) => id !== event.data.id)) };
  }
}

export const webhooksDecider: Decider<Webhooks, WebhookCommand, WebhookEvent, WebhookError> = {
  initialState: noWebhooks,
  decide: (command, webhooks, context) => decideWebhooks(command, webhooks, context.now),
  evolve: evolveWebhooks,
};
