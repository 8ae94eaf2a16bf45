import { loggedEvents } from '../../shared/application/audit-export.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { auditEventsQuery } from '../schemas/audit.ts';

/**
 * The tenant's log, in order, each entry with its stored event: an auditor
 * exports incrementally by passing back `nextCursor` until `hasMore` is false.
 */
export const auditEvents = (deps: Deps) =>
  apiHandler(deps, { permission: 'audit:read', query: auditEventsQuery }, async (request) => {
    const after = request.query.cursor ?? 0;
    const { entries, more } = await deps.tenantLog.page({ after, limit: request.query.limit, tenantId: request.principal.tenantId });
    const events = await loggedEvents(deps.eventStore, entries);
    const items = entries.map((entry, i) => ({
      seq: entry.seq,
      streamId: entry.streamId,
      version: entry.version,
      eventHash: entry.eventHash,
      event: events[i],
    }));
    return { status: 200, body: { items, nextCursor: String(entries.at(-1)?.seq ?? after), hasMore: more } };
  });
