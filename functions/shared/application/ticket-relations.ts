import { MeridianError } from '../../../domain/meridian-error.ts';
import type { Ticket } from '../../../domain/ticket/state.ts';
import { type LinkKind, reverseLink } from '../../../domain/ticket/vocabulary.ts';
import type { StoredEvent } from '../../../events/envelope.ts';
import type { Deps } from '../ports/deps.ts';
import type { LoadOptions } from './command-handler.ts';
import type { CommandContext } from './commands.ts';
import { checkTicket, commitTicket, loadTicket, TicketNotFound, TicketRefused } from './ticket-commands.ts';

/** A ticket named in the request's body (a merge's source, a link's other end) that the tenant does not have. */
export class OtherTicketNotFound extends MeridianError {
  constructor(readonly pointer: string) {
    super(`no ticket at ${pointer}`);
  }
}

/** A body's ticket, checked: absent or another tenant's is the body's mistake, named by its pointer. */
async function checkOther(
  deps: Deps,
  ticketId: string,
  context: CommandContext,
  pointer: string,
  check: Parameters<typeof checkTicket>[3],
) {
  try {
    return await checkTicket(deps, ticketId, context.tenantId, check);
  } catch (error) {
    throw error instanceof TicketNotFound ? new OtherTicketNotFound(pointer) : error;
  }
}

/**
 * Merges the sources into the target. Every ticket is asked first, so a refusal writes nothing.
 * Then each source closes as merged into the target, and the target takes in the ones that did:
 * in that order, so a crash in between leaves sources that say where they went, and the same
 * request again completes the merge (a source merged into this target takes it as done).
 */
export async function mergeTickets(
  deps: Deps,
  { targetId, sourceIds, context }: { targetId: string; sourceIds: string[]; context: CommandContext },
): Promise<Ticket> {
  const sources = [...new Set(sourceIds)];
  if (sources.includes(targetId)) throw new TicketRefused({ code: 'merge_into_itself' });
  await checkTicket(deps, targetId, context.tenantId, [{ type: 'TakeMerged', sources }]);
  await Promise.all(
    sources.map((id) => checkOther(deps, id, context, `/sourceIds/${sourceIds.indexOf(id)}`, [{ type: 'MergeInto', target: targetId }])),
  );
  const merged = await Promise.allSettled(
    sources.map((ticketId) => commitTicket(deps, { ticketId, commands: [{ type: 'MergeInto', target: targetId }], context })),
  );
  const done = sources.filter((_, i) => merged[i]!.status === 'fulfilled');
  const { ticket } = await commitTicket(deps, { ticketId: targetId, commands: [{ type: 'TakeMerged', sources: done }], context });
  const failed = merged.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return ticket;
}

/** Links two tickets both ways: this one shows `kind`, the other its reverse. */
export async function linkTickets(
  deps: Deps,
  { ticketId, otherId, kind, context }: { ticketId: string; otherId: string; kind: LinkKind; context: CommandContext },
): Promise<Ticket> {
  const here = { type: 'LinkTicket', ticketId: otherId, kind } as const;
  const there = { type: 'LinkTicket', ticketId, kind: reverseLink(kind) } as const;
  await checkTicket(deps, ticketId, context.tenantId, [here]);
  await checkOther(deps, otherId, context, '/ticketId', [there]);
  const { ticket } = await commitTicket(deps, { ticketId, commands: [here], context });
  await commitTicket(deps, { ticketId: otherId, commands: [there], context });
  return ticket;
}

/**
 * Removes the link from both tickets. Either end may have lost it already (an earlier attempt cut
 * off in between), so the same request again completes it; only a link neither end has is 404.
 * An other end that takes no more changes (erased, merged away) keeps what it shows.
 */
export async function unlinkTickets(
  deps: Deps,
  { ticketId, otherId, context }: { ticketId: string; otherId: string; context: CommandContext },
): Promise<Ticket> {
  const unlink = (from: string, to: string) =>
    commitTicket(deps, { ticketId: from, commands: [{ type: 'UnlinkTicket', ticketId: to }], context });
  const here = await unlink(ticketId, otherId).catch(refusedWith('link_not_found'));
  const there = await unlink(otherId, ticketId).catch(refusedWith('link_not_found', 'ticket_erased', 'ticket_merged', 'ticket_not_found'));
  if (!here && !there) throw new TicketRefused({ code: 'link_not_found' });
  return here?.ticket ?? (await loadTicket(deps, ticketId, context.tenantId, {})).ticket;
}

/** A refusal with one of these codes (or the ticket's absence, for ticket_not_found) as null; anything else rethrown. */
const refusedWith =
  (...codes: string[]) =>
  (error: unknown): null => {
    if (error instanceof TicketRefused && codes.includes(error.refusal.code)) return null;
    if (error instanceof TicketNotFound && codes.includes('ticket_not_found')) return null;
    throw error;
  };

/** How many merged tickets one read follows (merges of merges included). */
const maxMergedStreams = 200;

/**
 * The streams of the tickets merged into this one, merges of merges included, each as its tenant
 * may read it: what the target shows as its own conversation.
 */
export async function mergedStreams(deps: Deps, ticket: Ticket, options: LoadOptions) {
  const seen = new Set([ticket.id]);
  const streams: Array<{ ticketId: string; events: StoredEvent[] }> = [];
  let next = ticket.mergedFrom;
  while (next.length > 0 && seen.size < maxMergedStreams) {
    const wave = next.filter((id) => !seen.has(id)).slice(0, maxMergedStreams - seen.size);
    for (const id of wave) seen.add(id);
    const loaded = await Promise.all(wave.map((id) => loadTicket(deps, id, ticket.tenantId, options)));
    streams.push(...loaded.map(({ ticket: source, events }) => ({ ticketId: source.id, events })));
    next = loaded.flatMap(({ ticket: source }) => source.mergedFrom);
  }
  return streams;
}
