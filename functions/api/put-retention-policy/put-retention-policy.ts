import { setRetentionPolicy } from '../../shared/application/retention-policies.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { etagOf, parseIfMatch } from '../../shared/platform/http/etag.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { commandContext } from '../command-context.ts';
import { retentionPolicyBody } from '../schemas/retention.ts';

/** Sets the policy (RetentionPolicySet on the tenant's policy stream); the same policy again records nothing. */
export const putRetentionPolicy = (deps: Deps) =>
  apiHandler(deps, { permission: 'retention:manage', body: retentionPolicyBody }, async (request) => {
    const policy = await setRetentionPolicy(deps, {
      eraseClosedTicketsAfterDays: request.body.eraseClosedTicketsAfterDays,
      context: commandContext(request),
      expects: parseIfMatch(request.headers['if-match']),
    });
    return { status: 200, body: policy, headers: { etag: etagOf(policy.version) } };
  });
