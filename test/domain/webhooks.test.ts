import { describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../domain/webhook/events.ts';
import type { NewWebhook } from '../../domain/webhook/vocabulary.ts';
import {
  decideWebhooks,
  evolveWebhooks,
  isDelivering,
  maxWebhooks,
  noWebhooks,
  signingSecrets,
  type WebhookCommand,
  type Webhooks,
} from '../../domain/webhook/webhooks.ts';

const id = '01JDZ00000000000000000WH01';
const webhook: NewWebhook = {
  id,
  url: 'https://crm.example.com/hooks',
  events: ['TicketOpened'],
  description: null,
  active: true,
  secret: 'pii:1:sealed-one',
  startsAfter: 41,
};
const t0 = '2026-12-01T09:00:00.000Z';

/** given(events at these times).when(command, now) then the events, or the refusal. */
const given = (...history: Array<[WebhookEvent, string?]>) => {
  const state = history.reduce<Webhooks>(
    (webhooks, [event, at = t0]) =>
      evolveWebhooks(webhooks, { ...event, version: webhooks.version + 1, occurredAt: at, tenantId: 'acme', actorId: 'crm-sync' }),
    noWebhooks('acme'),
  );
  return {
    state,
    when: (command: WebhookCommand, now = new Date(t0)) => {
      const decision = decideWebhooks(command, state, now);
      return {
        then: (...events: WebhookEvent[]) => expect(decision).toEqual({ ok: true, events }),
        thenRefuses: (error: unknown) => expect(decision).toEqual({ ok: false, error }),
      };
    },
  };
};
const created: WebhookEvent = { type: 'WebhookCreated', data: { webhook } };

describe('webhook subscriptions', () => {
  it('creates a subscription that delivers from after the head it was made at, with one secret', () => {
    given().when({ type: 'CreateWebhook', webhook }).then(created);
    const subscription = given([created]).state.subscriptions[id]!;
    expect(subscription).toMatchObject({
      startsAfter: 41,
      active: true,
      paused: null,
      createdAt: t0,
      secrets: [{ sealed: webhook.secret, until: null }],
    });
    expect(isDelivering(subscription)).toBe(true);
  });

  it('refuses more than the limit, and anything on a subscription that is not there', () => {
    const full = Array.from({ length: maxWebhooks }, (_, i): [WebhookEvent] => [
      { type: 'WebhookCreated', data: { webhook: { ...webhook, id: `01JDZ00000000000000000W${String(i).padStart(3, '0')}` } } },
    ]);
    given(...full)
      .when({ type: 'CreateWebhook', webhook })
      .thenRefuses({ code: 'too_many_webhooks', limit: maxWebhooks });
    given()
      .when({ type: 'ChangeWebhook', id, changes: { active: false } })
      .thenRefuses({ code: 'webhook_not_found' });
    given([created], [{ type: 'WebhookDeleted', data: { id } }])
      .when({ type: 'DeleteWebhook', id })
      .thenRefuses({ code: 'webhook_not_found' });
  });

  it('records only what a change changes; switching a paused subscription on clears the pause', () => {
    given([created])
      .when({ type: 'ChangeWebhook', id, changes: { active: true, url: webhook.url } })
      .then();
    given([created])
      .when({ type: 'ChangeWebhook', id, changes: { active: false, description: 'CRM' } })
      .then({ type: 'WebhookChanged', data: { id, changes: { active: false, description: 'CRM' } } });
    const paused: WebhookEvent = { type: 'WebhookPaused', data: { id, reason: 'the delivery of event 42 failed 8 times' } };
    expect(isDelivering(given([created], [paused]).state.subscriptions[id]!)).toBe(false);
    given([created], [paused]).when({ type: 'PauseWebhook', id, reason: 'again' }).then();
    given([created], [paused])
      .when({ type: 'ChangeWebhook', id, changes: { active: true } })
      .then({ type: 'WebhookChanged', data: { id, changes: { active: true } } });
    const resumed = given([created], [paused], [{ type: 'WebhookChanged', data: { id, changes: { active: true } } }]).state.subscriptions[
      id
    ]!;
    expect(resumed.paused).toBeNull();
    expect(isDelivering(resumed)).toBe(true);
  });

  it('a rotated secret signs beside the new one for 24 hours, then stops', () => {
    given([created])
      .when({ type: 'RotateWebhookSecret', id, secret: 'pii:1:sealed-two' }, new Date(t0))
      .then({ type: 'WebhookSecretRotated', data: { id, secret: 'pii:1:sealed-two', previousUntil: '2026-12-02T09:00:00.000Z' } });
    const rotated = given(
      [created],
      [{ type: 'WebhookSecretRotated', data: { id, secret: 'pii:1:sealed-two', previousUntil: '2026-12-02T09:00:00.000Z' } }],
    ).state.subscriptions[id]!;
    expect(signingSecrets(rotated, new Date('2026-12-02T08:59:59Z'))).toEqual(['pii:1:sealed-two', 'pii:1:sealed-one']);
    expect(signingSecrets(rotated, new Date('2026-12-02T09:00:00Z'))).toEqual(['pii:1:sealed-two']);
  });

  it('a second rotation within the day keeps every secret still signing, none longer than it had', () => {
    const first: WebhookEvent = { type: 'WebhookSecretRotated', data: { id, secret: 's2', previousUntil: '2026-12-02T09:00:00.000Z' } };
    const second: WebhookEvent = { type: 'WebhookSecretRotated', data: { id, secret: 's3', previousUntil: '2026-12-02T15:00:00.000Z' } };
    const subscription = given([created], [first], [second, '2026-12-01T15:00:00.000Z']).state.subscriptions[id]!;
    expect(subscription.secrets).toEqual([
      { sealed: 's3', until: null },
      { sealed: 's2', until: '2026-12-02T15:00:00.000Z' },
      { sealed: webhook.secret, until: '2026-12-02T09:00:00.000Z' },
    ]);
    // A third a day later drops the ones that stopped signing.
    const third: WebhookEvent = { type: 'WebhookSecretRotated', data: { id, secret: 's4', previousUntil: '2026-12-04T09:00:00.000Z' } };
    const later = given([created], [first], [second, '2026-12-01T15:00:00.000Z'], [third, '2026-12-03T09:00:00.000Z']).state.subscriptions[
      id
    ]!;
    expect(later.secrets.map((secret) => secret.sealed)).toEqual(['s4', 's3']);
  });
});
