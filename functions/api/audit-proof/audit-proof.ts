import { NotYetCovered, proveEvent } from '../../shared/application/audit-proofs.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { auditProofParams } from '../schemas/audit.ts';

/**
 * The proof of one of the tenant's events under the newest signed heads digest, for an auditor
 * to check offline (`audit check-proof`). An event logged after that digest is a conflict that
 * resolves itself: the next digest covers it.
 */
export const auditProof = (deps: Deps) =>
  apiHandler(deps, { permission: 'audit:read', params: auditProofParams }, async (request) => {
    const { eventId } = request.params;
    try {
      const proof = await proveEvent(
        { region: deps.config.region, tenantLog: deps.tenantLog, eventStore: deps.eventStore, digests: deps.digests },
        eventId,
        [request.principal.tenantId],
      );
      if (!proof) throw new Problem('notFound', `No event ${eventId} is in your tenant's log`);
      return { status: 200, body: proof };
    } catch (error) {
      if (error instanceof NotYetCovered) throw new Problem('conflict', error.message, { code: 'not-yet-covered' });
      throw error;
    }
  });
