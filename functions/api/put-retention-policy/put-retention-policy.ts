import type { Deps } from '../../shared/composition.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { etagOf, parseIfMatch } from '../../shared/http/etag.ts';
import { setRetentionPolicy } from '../../shared/retention-policies.ts';
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
