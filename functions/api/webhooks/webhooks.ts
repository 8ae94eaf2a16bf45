import type { WebhookSubscription } from '../../../domain/webhook/vocabulary.ts';
import { replayWebhook, retryDelivery } from '../../shared/application/webhook-sender.ts';
import {
  changeWebhook,
  createWebhook,
  deleteWebhook,
  loadWebhooks,
  rotateWebhookSecret,
} from '../../shared/application/webhook-subscriptions.ts';
import { apiHandler, byRouteKey, type HttpHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { cursorContent, InvalidCursorError } from '../../shared/ports/views.ts';
import type { DeliveryRecord } from '../../shared/ports/webhook-deliveries.ts';
import { commandContext } from '../command-context.ts';
import { deliveriesQuery, deliveryParams, replayBody, webhookBody, webhookParams, webhookPatch } from '../schemas/webhooks.ts';

const permission = 'webhooks:manage';

/** A subscription as shown: never a secret. */
export const shownWebhook = ({ secrets: _, startsAfter: __, ...subscription }: WebhookSubscription) => ({
  ...subscription,
  status: subscription.paused ? 'paused' : subscription.active ? 'active' : 'inactive',
});

const shownDelivery = (record: DeliveryRecord) => {
  const { previousSeq: _, previousHash: __, ...shown } = record;
  return { id: String(record.seq), ...shown };
};

const notFound = () => new Problem('notFound', 'No such webhook');

async function subscriptionOf(deps: Deps, tenantId: string, id: string): Promise<WebhookSubscription> {
  const subscription = (await loadWebhooks(deps, tenantId)).subscriptions[id];
  if (!subscription) throw notFound();
  return subscription;
}

const beforeOf = (cursor: string | undefined) => {
  if (cursor === undefined) return undefined;
  const before = cursorContent(cursor);
  if (!Number.isSafeInteger(before) || (before as number) < 1) throw new InvalidCursorError('the cursor is not one this API issued');
  return before as number;
};

/** Webhook subscriptions (integrator, supervisor): one function for their routes, each change an event on the tenant's webhooks stream. */
export const webhooks = (deps: Deps): HttpHandler => {
  const routes: Record<string, HttpHandler> = {
    'POST /v1/webhooks': apiHandler(deps, { permission, body: webhookBody }, async (request) => {
      const { subscription, secret } = await createWebhook(deps, commandContext(request), request.body);
      return {
        status: 201,
        body: { ...shownWebhook(subscription), signingSecret: secret },
        headers: { location: `/v1/webhooks/${subscription.id}` },
      };
    }),
    'GET /v1/webhooks': apiHandler(deps, { permission }, async (request) => {
      const { subscriptions } = await loadWebhooks(deps, request.principal.tenantId);
      return { status: 200, body: { items: Object.values(subscriptions).map(shownWebhook) } };
    }),
    'GET /v1/webhooks/{id}': apiHandler(deps, { permission, params: webhookParams }, async (request) => ({
      status: 200,
      body: shownWebhook(await subscriptionOf(deps, request.principal.tenantId, request.params.id)),
    })),
    'PATCH /v1/webhooks/{id}': apiHandler(deps, { permission, params: webhookParams, body: webhookPatch }, async (request) => ({
      status: 200,
      body: shownWebhook(await changeWebhook(deps, commandContext(request), request.params.id, request.body)),
    })),
    'DELETE /v1/webhooks/{id}': apiHandler(deps, { permission, params: webhookParams }, async (request) => {
      await deleteWebhook(deps, commandContext(request), request.params.id);
      return { status: 204 };
    }),
    'POST /v1/webhooks/{id}/rotate-secret': apiHandler(deps, { permission, params: webhookParams }, async (request) => {
      const { secret, previousUntil } = await rotateWebhookSecret(deps, commandContext(request), request.params.id);
      return { status: 200, body: { signingSecret: secret, previousSecretsUntil: previousUntil } };
    }),
    'GET /v1/webhooks/{id}/deliveries': apiHandler(deps, { permission, params: webhookParams, query: deliveriesQuery }, async (request) => {
      const ref = { tenantId: request.principal.tenantId, webhookId: request.params.id };
      await subscriptionOf(deps, ref.tenantId, ref.webhookId);
      const page = await deps.webhooks.deliveries.records(ref, { before: beforeOf(request.query.cursor), limit: request.query.limit });
      const nextCursor = page.nextBefore === null ? null : Buffer.from(JSON.stringify(page.nextBefore)).toString('base64url');
      return { status: 200, body: { items: page.items.map(shownDelivery), nextCursor } };
    }),
    'POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry': apiHandler(deps, { permission, params: deliveryParams }, async (request) => {
      const ref = { tenantId: request.principal.tenantId, webhookId: request.params.id };
      const retried = await retryDelivery(deps, ref, request.params.deliveryId);
      if (!retried) throw new Problem('notFound', 'No such delivery of this webhook');
      return { status: 200, body: shownDelivery(retried) };
    }),
    'POST /v1/webhooks/{id}/replay': apiHandler(deps, { permission, params: webhookParams, body: replayBody }, async (request) => {
      const ref = { tenantId: request.principal.tenantId, webhookId: request.params.id };
      await subscriptionOf(deps, ref.tenantId, ref.webhookId);
      return { status: 202, body: await replayWebhook(deps, ref, request.body) };
    }),
  };
  return byRouteKey('webhooks', routes);
};
