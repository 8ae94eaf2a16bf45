import { MeridianError } from '../../../domain/meridian-error.ts';
import type { EventProof } from '../../../events/event-proof.ts';
import { headLeaf } from '../../../events/heads-digest.ts';
import { inclusionPath } from '../../../events/merkle.ts';
import type { TenantLogEntry } from '../../../events/tenant-log.ts';
import type { DigestStore } from '../ports/digest-store.ts';
import type { EventStore } from '../ports/event-store.ts';
import { logInOrder, type TenantLogStore } from '../ports/tenant-log-store.ts';

/** The event is logged, but after the newest signed digest: no proof can reach a signature yet. */
export class NotYetCovered extends MeridianError {
  constructor(readonly latestDigestAt: string | null) {
    super(
      latestDigestAt
        ? `the event was logged after the newest heads digest (of ${latestDigestAt}); the next digest covers it`
        : 'no signed heads digest has been written yet; the next digest covers the event',
    );
  }
}

export interface ProofDeps {
  region: string;
  tenantLog: TenantLogStore;
  eventStore: EventStore;
  digests: DigestStore;
}

/**
 * The proof of one event under the newest signed digest (events/event-proof.ts), looked for in
 * these tenants' logs; null when none of them logged it. Finding the entry reads the tenant's
 * log up to it, and the path needs every entry up to the digest's head: linear in the log, once
 * per proof.
 */
export async function proveEvent(deps: ProofDeps, eventId: string, tenantIds: string[]): Promise<EventProof | null> {
  const latest = await deps.digests.latest();
  for (const tenantId of tenantIds) {
    const head = latest?.digest.heads?.find((h) => h.tenantId === tenantId);
    const { entry, leaves } = await findEntry(deps.tenantLog, tenantId, eventId, head?.seq ?? 0);
    if (!entry) continue;
    if (!latest?.signature || !head?.root || entry.seq > head.seq) throw new NotYetCovered(latest?.digest.writtenAt ?? null);
    const [event] = await deps.eventStore.readEvents([entry]);
    if (!event) throw new Error(`tenant log entry ${entry.seq} of ${tenantId} names an event the table no longer holds: run audit verify`);
    const heads = latest.digest.heads;
    const regionIndex = heads.indexOf(head);
    return {
      proof: 'meridian-event-proof',
      version: 1,
      region: deps.region,
      event,
      entry,
      tenantTree: { size: head.seq, index: entry.seq - 1, path: inclusionPath(leaves, entry.seq - 1) },
      head,
      regionTree: { size: heads.length, index: regionIndex, path: inclusionPath(heads.map(headLeaf), regionIndex) },
      digest: { text: latest.text, signature: Buffer.from(latest.signature).toString('base64') },
    };
  }
  return null;
}

/** The entry naming the event, and the Merkle leaves of the tenant's first `treeSize` entries. */
async function findEntry(tenantLog: TenantLogStore, tenantId: string, eventId: string, treeSize: number) {
  const leaves: string[] = [];
  let entry: TenantLogEntry | undefined;
  for await (const page of logInOrder(tenantLog, { tenantId })) {
    for (const logged of page) {
      if (logged.seq <= treeSize) leaves.push(logged.hash);
      if (logged.eventId === eventId) entry = logged;
    }
    if (entry && leaves.length >= treeSize) break;
  }
  return { entry, leaves };
}
