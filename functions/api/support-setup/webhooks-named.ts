import { loadWebhooks } from '../../shared/application/webhook-subscriptions.ts';
import { validationProblem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';

/**
 * A rule's notify_webhook actions must name subscriptions the tenant has (another stream than the
 * setup's, so asked here). `under`: where the rule is in the body (a simulation's draft).
 */
export async function checkWebhooksNamed(deps: Deps, tenantId: string, body: unknown, under = '') {
  const actions = (body as { actions?: Array<{ field: string; value: unknown }> }).actions ?? [];
  const named = actions.flatMap((action, i) => (action.field === 'notify_webhook' ? [{ i, id: action.value as string }] : []));
  if (named.length === 0) return;
  const { subscriptions } = await loadWebhooks(deps, tenantId);
  const unknown = named.filter(({ id }) => !subscriptions[id]);
  if (unknown.length > 0)
    throw validationProblem(
      unknown.map(({ i }) => ({
        path: `${under}/actions/${i}/value`,
        location: 'body' as const,
        message: 'no webhook subscription has this id',
      })),
    );
}
