/**
 * Which events a subscription receives: event type names (`TicketOpened`), or an EventBridge-style
 * pattern over the PII-free event (`{"detail-type": [...], "detail": {"priority": ["urgent"]}}`).
 */
export type WebhookFilter = readonly string[] | { readonly [field: string]: unknown };

/** A signing secret as stored (sealed), and when it stops signing (null: the current one). */
export interface SigningSecret {
  sealed: string;
  until: string | null;
}

export interface WebhookSubscription {
  id: string;
  url: string;
  events: WebhookFilter;
  description: string | null;
  /** Switched on by its owner. */
  active: boolean;
  /** Set when deliveries kept failing; switching the subscription on again clears it. */
  paused: { reason: string; at: string } | null;
  /** The newest first. */
  secrets: SigningSecret[];
  /** The tenant log's head when it was created: deliveries start after it. */
  startsAfter: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewWebhook {
  id: string;
  url: string;
  events: WebhookFilter;
  description: string | null;
  active: boolean;
  /** The first signing secret, sealed. */
  secret: string;
  startsAfter: number;
}

export type WebhookChanges = Partial<Pick<WebhookSubscription, 'url' | 'events' | 'description' | 'active'>>;
