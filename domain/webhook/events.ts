import type { NewWebhook, WebhookChanges } from './vocabulary.ts';

/** Each change to a tenant's webhook subscriptions (stream `webhooks#<tenant>`); the stored form is in events/webhook-events.ts. */
export type WebhookEvent =
  | { type: 'WebhookCreated'; data: { webhook: NewWebhook } }
  | { type: 'WebhookChanged'; data: { id: string; changes: WebhookChanges } }
  /** `previousUntil`: when the secrets signing before this one stop signing. */
  | { type: 'WebhookSecretRotated'; data: { id: string; secret: string; previousUntil: string } }
  | { type: 'WebhookPaused'; data: { id: string; reason: string } }
  | { type: 'WebhookDeleted'; data: { id: string } };
