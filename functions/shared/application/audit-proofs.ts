import { MeridianError } from '../../../domain/meridian-error.ts';
import type { EventProof } from '../../../events/event-proof.ts';
import { headLeaf } from '../../../events/heads-digest.ts';
import { inclusionPath } from '../../../events/merkle.ts';
import type { TenantLogEntry } from '../../../events/tenant-log.ts';
import type { DigestStore } from '../ports/digest-store.ts';
import type { EventStore } from '../ports/event-store.ts';
import { logInOrder, type TenantLogStore } from '../ports/tenant-log-store.ts';
import { loggedEvents } from './audit-export.ts';

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
 * these tenants' logs; null when none of them logged it.
 */
export async function proveEvent(deps: ProofDeps, eventId: string, tenantIds: string[]): Promise<EventProof | null> {
  for (const tenantId of tenantIds) {
    const proof = (await proveEvents(deps, tenantId, [eventId])).get(eventId);
    if (proof) return proof;
  }
  return null;
}

/**
 * The proofs of these events of one tenant under the newest signed digest, by event id; an event
 * the tenant's log does not name is left out. Finding the entries reads the tenant's log up to
 * them, and the paths need every entry up to the digest's head: linear in the log, once for all
 * the events.
 */
export async function proveEvents(deps: ProofDeps, tenantId: string, eventIds: string[]): Promise<Map<string, EventProof>> {
  const latest = await deps.digests.latest();
  const head = latest?.digest.heads?.find((h) => h.tenantId === tenantId);
  const { entries, leaves } = await findEntries(deps.tenantLog, tenantId, new Set(eventIds), head?.seq ?? 0);
  const proofs = new Map<string, EventProof>();
  if (entries.length === 0) return proofs;
  if (!latest?.signature || !head?.root || entries.some((entry) => entry.seq > head.seq))
    throw new NotYetCovered(latest?.digest.writtenAt ?? null);
  const events = await loggedEvents(deps.eventStore, entries);
  const heads = latest.digest.heads;
  const regionIndex = heads.indexOf(head);
  const regionTree = { size: heads.length, index: regionIndex, path: inclusionPath(heads.map(headLeaf), regionIndex) };
  const digest = { text: latest.text, signature: Buffer.from(latest.signature).toString('base64') };
  for (const [i, entry] of entries.entries()) {
    const event = events[i];
    if (event?.eventId !== entry.eventId)
      throw new Error(`tenant log entry ${entry.seq} of ${tenantId} names an event the table no longer holds: run audit verify`);
    proofs.set(entry.eventId, {
      proof: 'meridian-event-proof',
      version: 1,
      region: deps.region,
      event,
      entry,
      tenantTree: { size: head.seq, index: entry.seq - 1, path: inclusionPath(leaves, entry.seq - 1) },
      head,
      regionTree,
      digest,
    });
  }
  return proofs;
}

/** The entries naming these events, and the Merkle leaves of the tenant's first `treeSize` entries. */
async function findEntries(tenantLog: TenantLogStore, tenantId: string, eventIds: Set<string>, treeSize: number) {
  const leaves: string[] = [];
  const entries: TenantLogEntry[] = [];
  for await (const page of logInOrder(tenantLog, { tenantId })) {
    for (const logged of page) {
      if (logged.seq <= treeSize) leaves.push(logged.hash);
      if (eventIds.has(logged.eventId)) entries.push(logged);
    }
    if (entries.length === eventIds.size && leaves.length >= treeSize) break;
  }
  return { entries, leaves };
}
