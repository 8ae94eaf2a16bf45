import { dsarStreamId } from './dsar-events.ts';
import { ticketStreamId } from './envelope.ts';
import { checkEventProof, type EventProof } from './event-proof.ts';
import { subjectStreamId } from './subject-events.ts';

/**
 * What a DPO hands a regulator once an erasure request is fulfilled: the request's DsarFulfilled
 * event, the subject's SubjectErased and one TicketErased per ticket of the subject (by this
 * request, or earlier by retention or another request), each with its tenant log entry and the
 * entry's Merkle path to the tenant's tree head, under one signed heads digest that holds that
 * head. These events hold ids, counts and times only, so the receipt holds no personal data.
 * `erasure` restates what they say for a reader; the check holds it to them. The digest and the
 * head's path are given once, not per event: a digest names every tenant's head.
 */
export interface ErasureReceipt {
  receipt: 'meridian-erasure-receipt';
  version: 1;
  region: string;
  tenantId: string;
  dsarId: string;
  erasure: { fulfilledAt: string; late: boolean; tickets: number; subjectErased: boolean };
  head: EventProof['head'];
  regionTree: EventProof['regionTree'];
  digest: EventProof['digest'];
  events: Array<Pick<EventProof, 'event' | 'entry' | 'tenantTree'>>;
}

/** A receipt of these proofs, all of one tenant under one digest (as proveEvents makes them). */
export function receiptOf(
  fields: Pick<ErasureReceipt, 'region' | 'tenantId' | 'dsarId' | 'erasure'>,
  proofs: EventProof[],
): ErasureReceipt {
  const [first] = proofs;
  if (!first) throw new Error('a receipt proves at least the request being fulfilled');
  return {
    receipt: 'meridian-erasure-receipt',
    version: 1,
    ...fields,
    head: first.head,
    regionTree: first.regionTree,
    digest: first.digest,
    events: proofs.map(({ event, entry, tenantTree }) => ({ event, entry, tenantTree })),
  };
}

/** Each event of the receipt as a proof of its own, as `check-proof` checks one. */
export const receiptProofs = (receipt: ErasureReceipt): EventProof[] =>
  receipt.events.map(({ event, entry, tenantTree }) => ({
    proof: 'meridian-event-proof',
    version: 1,
    region: receipt.region,
    event,
    entry,
    tenantTree,
    head: receipt.head,
    regionTree: receipt.regionTree,
    digest: receipt.digest,
  }));

/** The only events a receipt may hold. */
export const erasureEventTypes = ['DsarFulfilled', 'SubjectErased', 'TicketErased'] as const;

type Data = Record<string, unknown>;

/** What failed, one line each; empty when every proof holds and the events add up to the erasure the receipt states. */
export function checkErasureReceipt(receipt: ErasureReceipt, publicKeyPem: string): string[] {
  if (!Array.isArray(receipt.events) || typeof receipt.erasure !== 'object' || receipt.erasure === null || !receipt.digest)
    return ['not a Meridian erasure receipt'];
  const proofs = receiptProofs(receipt);
  const failures: string[] = [];
  for (const proof of proofs) {
    const named = `${proof.event?.type} of ${proof.event?.streamId}`;
    for (const failure of checkEventProof(proof, publicKeyPem)) failures.push(`${named}: ${failure}`);
    if (proof.region !== receipt.region || proof.event?.tenantId !== receipt.tenantId)
      failures.push(`${named}: not an event of tenant ${receipt.tenantId} in ${receipt.region}`);
    if (!(erasureEventTypes as readonly string[]).includes(proof.event?.type))
      failures.push(`${named}: not an erasure event (a receipt holds ${erasureEventTypes.join(', ')} only)`);
  }
  const events = proofs.map((proof) => proof.event).filter((event) => event);
  const ofType = (type: string) => events.filter((event) => event.type === type);
  const fail = (condition: boolean, what: string) => !condition && failures.push(what);

  const [fulfilled, ...more] = ofType('DsarFulfilled');
  const result = (fulfilled?.data as Data | undefined)?.result as Data | undefined;
  fail(
    fulfilled !== undefined && more.length === 0 && fulfilled.streamId === dsarStreamId(receipt.dsarId) && result?.type === 'erasure',
    `the receipt does not prove that erasure request ${receipt.dsarId} was fulfilled (one DsarFulfilled of its stream)`,
  );
  if (!fulfilled || !result) return failures;
  const stated = receipt.erasure;
  fail(
    stated.fulfilledAt === fulfilled.occurredAt &&
      stated.late === fulfilled.data.late &&
      stated.tickets === result.tickets &&
      stated.subjectErased === result.subjectErased,
    'the erasure the receipt states is not the one its DsarFulfilled event records',
  );

  const subjects = ofType('SubjectErased');
  const subjectErased = subjects.length === 1 ? (subjects[0]!.data as Data) : undefined;
  fail(
    result.subjectErased
      ? subjectErased?.dsarId === receipt.dsarId &&
          subjectErased.tickets === result.tickets &&
          subjects[0]!.streamId === subjectStreamId(String(subjectErased.subjectId))
      : subjects.length === 0,
    result.subjectErased
      ? "the receipt does not prove the subject's erasure by this request (one SubjectErased naming it)"
      : 'the request erased no subject, yet the receipt holds a SubjectErased',
  );

  const tickets = ofType('TicketErased');
  const streams = new Set(tickets.map((event) => event.streamId));
  fail(
    streams.size === tickets.length && tickets.length === result.tickets,
    `the request erased ${result.tickets} tickets, and the receipt proves ${streams.size} tickets erased`,
  );
  for (const event of tickets) {
    const data = event.data as Data;
    fail(
      event.streamId.startsWith(ticketStreamId('')) && (data.dsarId === receipt.dsarId || event.occurredAt <= fulfilled.occurredAt),
      `TicketErased of ${event.streamId}: erased neither by this request nor before it was fulfilled`,
    );
  }
  return failures;
}
