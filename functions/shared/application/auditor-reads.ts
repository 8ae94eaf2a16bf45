import { type AuditorReadData, auditEventSchemas, recordableQueryParameters } from '../../../events/audit-events.ts';
import { auditorReadStreamId } from '../../../events/envelope.ts';
import { chainEvents, genesisHash } from '../../../events/hash-chain.ts';
import type { Principal } from '../platform/http/principal.ts';
import type { Deps } from '../ports/deps.ts';

export interface AuditorReadRequest {
  principal: Principal;
  method: string;
  route: string;
  path: string;
  query: Record<string, string | undefined>;
  status: number;
  correlationId: string;
  requestId: string;
}

/** Appends the record of one auditor's read before the answer goes out: a read that cannot be recorded is not served. */
export async function recordAuditorRead(deps: Deps, read: AuditorReadRequest): Promise<void> {
  const query: Record<string, string> = {};
  const withheld: string[] = [];
  for (const [name, value] of Object.entries(read.query)) {
    if (value === undefined) continue;
    if (recordableQueryParameters.has(name)) query[name] = value;
    else withheld.push(name);
  }
  const data: AuditorReadData = { method: read.method, route: read.route, path: read.path, query, withheld, status: read.status };
  const now = deps.clock().toISOString();
  const eventId = deps.newId();
  const [event] = chainEvents(
    [
      {
        eventId,
        streamId: auditorReadStreamId(eventId),
        version: 1,
        type: 'AuditorRead',
        schemaVersion: auditEventSchemas.AuditorRead.schemaVersion,
        occurredAt: now,
        recordedAt: now,
        region: deps.config.region,
        tenantId: read.principal.tenantId,
        actor: { type: 'user', id: read.principal.sub },
        correlationId: read.correlationId,
        causationId: read.requestId,
        data: auditEventSchemas.AuditorRead.data.parse(data),
      },
    ],
    genesisHash,
  );
  await deps.eventStore.append([event!]);
}
