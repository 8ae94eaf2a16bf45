import { loadDsar } from '../../shared/application/dsar-commands.ts';
import { openSealed } from '../../shared/application/personal-data.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { dsarIdParams } from '../schemas/dsar.ts';

/** The bundle of an access or export request, decrypted: every ticket, message and event on the subject. */
export const dsarExport = (deps: Deps) =>
  apiHandler(deps, { permission: 'dsar:manage', params: dsarIdParams }, async (request) => {
    const { tenantId } = request.principal;
    const { dsar } = await loadDsar(deps, request.params.id, tenantId);
    if (dsar.type !== 'access' && dsar.type !== 'export') throw new Problem('notFound', `A ${dsar.type} request has no bundle`);
    if (dsar.status !== 'fulfilled')
      throw new Problem('conflict', 'The bundle is not ready yet: the request is not fulfilled', { code: 'dsar_not_fulfilled' });
    const stored = await deps.dsarBundles.get(tenantId, dsar.id);
    if (stored === null) throw new Problem('gone', 'The bundle is no longer kept');
    const bundle = await openSealed(deps.subjectKeys, tenantId, stored);
    if (bundle === null) throw new Problem('gone', 'The data subject was erased since: their bundle no longer opens');
    return { status: 200, body: JSON.parse(bundle) as unknown };
  });
