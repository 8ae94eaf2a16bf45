import { MeridianError } from '../../../domain/meridian-error.ts';
import type { WebhookEvent } from '../../../domain/webhook/events.ts';
import type { WebhookChanges, WebhookSubscription } from '../../../domain/webhook/vocabulary.ts';
import { maxWebhooks, type WebhookCommand, type WebhookError, type Webhooks, webhooksDecider } from '../../../domain/webhook/webhooks.ts';
import { webhookEventForm, webhooksStreamId } from '../../../events/webhook-events.ts';
import type { UrlRefusal } from '../platform/webhooks/outbound.ts';
import { newSigningSecret } from '../platform/webhooks/standard-webhooks.ts';
import type { Deps } from '../ports/deps.ts';
import { handleCommand, loadStream, type StreamWriter } from './command-handler.ts';
import type { CommandContext } from './commands.ts';
import { sealTenantSecret } from './tenant-secrets.ts';

export class WebhookRefused extends MeridianError {
  constructor(readonly refusal: WebhookError) {
    super(refusal.code);
  }
}

const webhooksWriter: StreamWriter<Webhooks, WebhookCommand, WebhookEvent, WebhookError> = {
  kind: 'webhook subscriptions',
  decider: webhooksDecider,
  form: webhookEventForm,
  notFound: () => new Error('a webhooks stream of another tenant'),
  refused: (refusal) => new WebhookRefused(refusal),
};

/** The tenant's webhook subscriptions, as its stream says now. */
export async function loadWebhooks(deps: Deps, tenantId: string): Promise<Webhooks> {
  return (await loadStream(deps, webhooksWriter, webhooksStreamId(tenantId), tenantId)).state;
}

/** Decides a change to the tenant's subscriptions and appends it. */
export async function commitWebhooks(deps: Deps, write: { command: WebhookCommand; context: CommandContext }): Promise<Webhooks> {
  return (await handleCommand(deps, webhooksWriter, { ...write, streamId: webhooksStreamId(write.context.tenantId) })).state;
}

/** The URL may not be called: private, loopback or link-local, a scheme not allowed, and so on. */
export class WebhookUrlRefused extends MeridianError {
  constructor(readonly refusal: UrlRefusal) {
    super(refusal.detail);
  }
}

const checkUrl = async (deps: Deps, url: string) => {
  const refusal = await deps.webhooks.refusalOf(url);
  if (refusal) throw new WebhookUrlRefused(refusal);
};

/** A new subscription, delivering the events logged after now, and its first signing secret (shown once). */
export async function createWebhook(
  deps: Deps,
  context: CommandContext,
  input: Pick<WebhookSubscription, 'url' | 'events' | 'description' | 'active'>,
): Promise<{ subscription: WebhookSubscription; secret: string }> {
  await checkUrl(deps, input.url);
  // Refused before the secret is sealed: sealing makes the tenant's secrets key on first use.
  const count = Object.keys((await loadWebhooks(deps, context.tenantId)).subscriptions).length;
  if (count >= maxWebhooks) throw new WebhookRefused({ code: 'too_many_webhooks', limit: maxWebhooks });
  const secret = newSigningSecret();
  const id = deps.newId();
  const startsAfter = (await deps.tenantLog.lastCommit(context.tenantId))?.entries.at(-1)?.seq ?? 0;
  const sealed = await sealTenantSecret(deps.subjectKeys, context.tenantId, secret);
  const webhooks = await commitWebhooks(deps, {
    command: { type: 'CreateWebhook', webhook: { id, ...input, secret: sealed, startsAfter } },
    context,
  });
  return { subscription: webhooks.subscriptions[id]!, secret };
}

/** Changes what a subscription is; switching it on (again) wakes its sender. */
export async function changeWebhook(
  deps: Deps,
  context: CommandContext,
  id: string,
  changes: WebhookChanges,
): Promise<WebhookSubscription> {
  if (changes.url !== undefined) await checkUrl(deps, changes.url);
  const webhooks = await commitWebhooks(deps, { command: { type: 'ChangeWebhook', id, changes }, context });
  if (changes.active) await deps.webhooks.queue.wake([{ tenantId: context.tenantId, webhookId: id }]);
  return webhooks.subscriptions[id]!;
}

/** A new signing secret; the ones before it keep signing beside it for a day. */
export async function rotateWebhookSecret(
  deps: Deps,
  context: CommandContext,
  id: string,
): Promise<{ secret: string; previousUntil: string }> {
  // Refused before a secret is sealed: sealing makes the tenant's secrets key on first use.
  if (!(await loadWebhooks(deps, context.tenantId)).subscriptions[id]) throw new WebhookRefused({ code: 'webhook_not_found' });
  const secret = newSigningSecret();
  const sealed = await sealTenantSecret(deps.subjectKeys, context.tenantId, secret);
  const webhooks = await commitWebhooks(deps, { command: { type: 'RotateWebhookSecret', id, secret: sealed }, context });
  return { secret, previousUntil: webhooks.subscriptions[id]!.secrets[1]!.until! };
}

export async function deleteWebhook(deps: Deps, context: CommandContext, id: string): Promise<void> {
  await commitWebhooks(deps, { command: { type: 'DeleteWebhook', id }, context });
  await deps.webhooks.deliveries.forget({ tenantId: context.tenantId, webhookId: id });
}
