import { commitDsar, openDsar } from '../../shared/application/dsar-commands.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { SubjectKeyMissing } from '../../shared/ports/subject-keys.ts';
import { commandContext } from '../command-context.ts';
import { idempotencyOf } from '../idempotency-key.ts';
import { replayedHeader } from '../presenters.ts';
import { createDsarBody } from '../schemas/dsar.ts';

/**
 * Files a data-subject request: 202, because fulfilment runs asynchronously (the DsarFulfilment
 * rule on the bus). The subject is found by keyed hash of the email, or by subject id; an unknown
 * email is not an error: the request is recorded and answered with "nothing held".
 */
export const createDsar = (deps: Deps) =>
  apiHandler(deps, { permission: 'dsar:manage', body: createDsarBody }, async (request) => {
    const { tenantId } = request.principal;
    const { subject, type, law, notes, corrections } = request.body;
    const subjectId =
      'email' in subject
        ? await deps.subjectKeys.find(tenantId, { kind: 'email', value: subject.email })
        : await heldSubject(deps, tenantId, subject.requesterId);
    const dsarId = deps.newId();
    const { dsar, replayed } = await commitDsar(deps, {
      dsarId,
      command: {
        type: 'RequestDsar',
        dsarId,
        requestType: type,
        law,
        subjectId,
        identifiedBy: 'email' in subject ? 'email' : 'requesterId',
        notes: notes ?? null,
        corrections: corrections ?? null,
      },
      context: commandContext(request),
      idempotency: idempotencyOf(request),
    });
    return { status: 202, body: await openDsar(deps, dsar), headers: { location: `/v1/dsar/${dsar.id}`, ...replayedHeader(replayed) } };
  });

/**
 * A requester id names a subject of this tenant only while their key exists: an id of another
 * tenant, an unknown one or an erased one is recorded as "no subject matched" (nothing is held).
 */
async function heldSubject(deps: Deps, tenantId: string, subjectId: string): Promise<string | null> {
  try {
    await deps.subjectKeys.dataKey({ tenantId, subjectId });
    return subjectId;
  } catch (error) {
    if (error instanceof SubjectKeyMissing) return null;
    throw error;
  }
}
