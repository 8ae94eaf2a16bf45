import { NotYetCovered } from '../../shared/application/audit-proofs.ts';
import { erasureReceipt, NoReceipt } from '../../shared/application/erasure-receipts.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { dsarIdParams } from '../schemas/dsar.ts';

/**
 * The receipt of a fulfilled erasure request, for the DPO to hand on: proofs of the erasure events
 * under the newest signed digest, checked offline by `audit check-proof`. No personal data.
 */
export const dsarReceipt = (deps: Deps) =>
  apiHandler(deps, { permission: 'dsar:manage', params: dsarIdParams }, async (request) => {
    try {
      return { status: 200, body: await erasureReceipt(deps, request.params.id, request.principal.tenantId) };
    } catch (error) {
      if (error instanceof NoReceipt && error.code === 'not-an-erasure') throw new Problem('notFound', error.message);
      if (error instanceof NoReceipt) throw new Problem('conflict', error.message, { code: 'dsar_not_fulfilled' });
      if (error instanceof NotYetCovered) throw new Problem('conflict', error.message, { code: 'not-yet-covered' });
      throw error;
    }
  });
