import { loadDsar, openDsar } from '../../shared/application/dsar-commands.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { dsarIdParams } from '../schemas/dsar.ts';

/** A request with its status, its history (every event with its time) and its result. */
export const getDsar = (deps: Deps) =>
  apiHandler(deps, { permission: 'dsar:manage', params: dsarIdParams }, async (request) => {
    const { dsar } = await loadDsar(deps, request.params.id, request.principal.tenantId);
    return { status: 200, body: await openDsar(deps, dsar) };
  });
