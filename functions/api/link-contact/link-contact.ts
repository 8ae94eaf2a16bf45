import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { linkContactBody, requesterIdParams } from '../schemas/requesters.ts';

/**
 * Links another handle to a requester (their email to the WhatsApp number they wrote from, say):
 * from then on that channel's messages join the same history. A handle another requester already
 * has is 409; the handle itself is kept only as a keyed hash.
 */
export const linkContact = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:write', params: requesterIdParams, body: linkContactBody }, async (request) => {
    const { tenantId } = request.principal;
    const subjectId = request.params.id;
    let linked: boolean;
    try {
      linked = await deps.subjectKeys.link(tenantId, request.body, subjectId);
    } catch (error) {
      // The subject's key item must exist: an unknown (or erased) requester cannot take contacts.
      if (error instanceof TransactionCanceledException) throw new Problem('notFound', 'No such requester');
      throw error;
    }
    if (!linked) throw new Problem('conflict', 'This contact belongs to another requester', { code: 'contact_taken' });
    return { status: 204 };
  });
