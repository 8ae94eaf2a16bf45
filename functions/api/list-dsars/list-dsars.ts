import { openDsar } from '../../shared/application/dsar-commands.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { listDsarsQuery } from '../schemas/dsar.ts';

/** The DPO's worklist, from the projection (eventually consistent): e.g. every overdue request. */
export const listDsars = (deps: Deps) =>
  apiHandler(deps, { permission: 'dsar:manage', query: listDsarsQuery }, async (request) => {
    const page = await deps.dsarViews.list({ tenantId: request.principal.tenantId, ...request.query });
    return { status: 200, body: { ...page, items: await Promise.all(page.items.map((dsar) => openDsar(deps, dsar))) } };
  });
