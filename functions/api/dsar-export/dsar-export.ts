import type { Deps } from '../../shared/composition.ts';
import { loadDsar } from '../../shared/dsar-commands.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { Problem } from '../../shared/http/problem.ts';
import { isSealed, open, sealedSubject } from '../../shared/personal-data/sealing.ts';
import { SubjectKeyMissing } from '../../shared/personal-data/subject-keys.ts';
import { dsarIdParams } from '../schemas.ts';

/** The bundle of an access or export request, decrypted: every ticket, message and event on the subject. */
export const dsarExport = (deps: Deps) =>
  apiHandler(deps, { permission: 'dsar:manage', params: dsarIdParams }, async (request) => {
    const { tenantId } = request.principal;
    const { dsar } = await loadDsar(deps, request.params.id, tenantId);
    if (dsar.type !== 'access' && dsar.type !== 'export') throw new Problem('notFound', `A ${dsar.type} request has no bundle`);
    if (dsar.status !== 'fulfilled') throw new Problem('conflict', 'The bundle is not ready yet: the request is not fulfilled', { code: 'dsar_not_fulfilled' });
    const stored = await deps.dsarBundles.get(tenantId, dsar.id);
    if (stored === null) throw new Problem('gone', 'The bundle is no longer kept');
    if (!isSealed(stored)) return { status: 200, body: JSON.parse(stored) as unknown };
    try {
      const key = await deps.subjectKeys.dataKey({ tenantId, subjectId: sealedSubject(stored)! });
      return { status: 200, body: JSON.parse(open(stored, key, tenantId)) as unknown };
    } catch (error) {
      if (error instanceof SubjectKeyMissing) throw new Problem('gone', 'The data subject was erased since: their bundle no longer opens');
      throw error;
    }
  });
