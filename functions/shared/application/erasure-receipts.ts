import { MeridianError } from '../../../domain/meridian-error.ts';
import { type StoredEvent, ticketStreamId } from '../../../events/envelope.ts';
import { type ErasureReceipt, receiptOf } from '../../../events/erasure-receipt.ts';
import { subjectStreamId } from '../../../events/subject-events.ts';
import type { Deps } from '../ports/deps.ts';
import { NotYetCovered, proveEvents } from './audit-proofs.ts';
import { ticketsOf } from './data-subjects.ts';
import { loadDsar } from './dsar-commands.ts';

/** The request has no receipt (yet): it is not an erasure, or it is not fulfilled. */
export class NoReceipt extends MeridianError {
  constructor(
    readonly code: 'not-an-erasure' | 'not-fulfilled',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The receipt of a fulfilled erasure request (events/erasure-receipt.ts): the proofs of its
 * DsarFulfilled, the subject's SubjectErased and each of the subject's tickets' TicketErased, all
 * under the newest signed digest. NotYetCovered until that digest covers every one of them.
 */
export async function erasureReceipt(deps: Deps, dsarId: string, tenantId: string): Promise<ErasureReceipt> {
  const { dsar, events } = await loadDsar(deps, dsarId, tenantId);
  if (dsar.type !== 'erasure')
    throw new NoReceipt('not-an-erasure', `request ${dsarId} is a ${dsar.type} request: only an erasure request has a receipt`);
  const fulfilled = events.find((event) => event.type === 'DsarFulfilled');
  if (!fulfilled || dsar.result?.type !== 'erasure')
    throw new NoReceipt('not-fulfilled', `erasure request ${dsarId} is ${dsar.status}: its receipt exists once it is fulfilled`);
  const erasures = [fulfilled, ...(await subjectErased(deps, dsar.subjectId, dsarId)), ...(await ticketsErased(deps, dsar))];
  const proofs = await proveEvents({ ...deps, region: deps.config.region }, tenantId, ids(erasures));
  if (proofs.size < erasures.length) {
    // Appended, but not yet in the tenant's log: the sequencer is seconds behind.
    throw new NotYetCovered((await deps.digests.latest())?.digest.writtenAt ?? null);
  }
  const erasure = {
    fulfilledAt: fulfilled.occurredAt,
    late: fulfilled.data.late === true,
    tickets: dsar.result.tickets,
    subjectErased: dsar.result.subjectErased,
  };
  return receiptOf(
    { region: deps.config.region, tenantId, dsarId, erasure },
    erasures.map((event) => proofs.get(event.eventId)!),
  );
}

const ids = (events: StoredEvent[]) => events.map((event) => event.eventId);

async function subjectErased(deps: Deps, subjectId: string | null, dsarId: string): Promise<StoredEvent[]> {
  if (subjectId === null) return [];
  const events = await deps.eventStore.readStream(subjectStreamId(subjectId));
  return events.filter((event) => event.type === 'SubjectErased' && event.data.dsarId === dsarId);
}

/** Each of the subject's tickets' erasure: by this request, or (when it found the ticket erased already) the earlier one. */
async function ticketsErased(deps: Deps, dsar: { id: string; tenantId: string; subjectId: string | null }) {
  const erased: StoredEvent[] = [];
  for (const ticket of await ticketsOf(deps, dsar.tenantId, dsar.subjectId)) {
    const erasures = (await deps.eventStore.readStream(ticketStreamId(ticket.id))).filter((event) => event.type === 'TicketErased');
    const erasure = erasures.find((event) => event.data.dsarId === dsar.id) ?? erasures[0];
    if (erasure) erased.push(erasure);
  }
  return erased.sort((a, b) => a.streamId.localeCompare(b.streamId));
}
