import { createHash } from 'node:crypto';
import * as z from 'zod';
import { MeridianError } from '../../../domain/meridian-error.ts';
import { searchWords } from '../../../domain/ticket/search-words.ts';
import type { Ticket } from '../../../domain/ticket/state.ts';
import type { TicketStatus } from '../../../domain/ticket/vocabulary.ts';
import type { StoredEvent } from '../../../events/envelope.ts';
import { upcast } from '../../../events/upcasters.ts';
import type { Deps } from '../ports/deps.ts';
import { cursorContent, InvalidCursorError, type Page } from '../ports/views.ts';
import { loadTicket, TicketNotFound } from './ticket-commands.ts';

/** A ticket is found by at most this many distinct words (a long conversation's first ones). */
export const maxWordsPerTicket = 10_000;
/** A query's words beyond these are not searched for. */
export const maxQueryWords = 10;
/** How many tickets with the query's first word one page looks at before it answers, short, with a cursor. */
export const maxTicketsExamined = 1_000;

/** What a ticket is found by: its subject, description, messages, tags and the text of its fields. Nothing once erased. */
export function ticketWords(ticket: Ticket, events: StoredEvent[]): string[] {
  if (ticket.erasedAt !== null) return [];
  const fieldTexts = Object.values(ticket.fields).flatMap((value) =>
    typeof value === 'string' ? [value] : Array.isArray(value) ? value : [],
  );
  const bodies = events.flatMap((event) => {
    const current = upcast(event);
    return current.type === 'MessageAdded' && current.data.body !== null ? [current.data.body] : [];
  });
  const words = new Set<string>();
  for (const text of [ticket.subject, ticket.description, ...ticket.tags, ...fieldTexts, ...bodies]) {
    for (const word of searchWords(text ?? '')) {
      if (words.size >= maxWordsPerTicket) return [...words];
      words.add(word);
    }
  }
  return [...words];
}

/**
 * Brings the ticket's search entries up to its stream: the words of the whole ticket as it is now
 * (so a tag removed or a field changed stops finding it, and an erasure leaves nothing), written
 * as keyed hashes. A redelivery of what is indexed already does nothing, unless asked to do it `again`.
 */
export async function indexTicket(
  deps: Deps,
  tenantId: string,
  ticketId: string,
  { again = false }: { again?: boolean } = {},
): Promise<{ added: number; removed: number }> {
  let loaded: Awaited<ReturnType<typeof loadTicket>>;
  try {
    loaded = await loadTicket(deps, ticketId, tenantId, { open: true });
  } catch (error) {
    if (error instanceof TicketNotFound) return { added: 0, removed: 0 };
    throw error;
  }
  const version = loaded.events.at(-1)!.version;
  const indexed = await deps.searchIndex.indexed(tenantId, ticketId);
  if (!again && indexed && indexed.version >= version) return { added: 0, removed: 0 };
  const hashes = await deps.searchIndex.hashWords(tenantId, ticketWords(loaded.ticket, loaded.events));
  return deps.searchIndex.replace(tenantId, ticketId, indexed?.hashes ?? [], { version, hashes });
}

/** A query with no word in it (only spaces or punctuation). */
export class NothingToSearch extends MeridianError {}

const cursorSchema = z.object({ q: z.string(), after: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/) });

export interface SearchQuery {
  tenantId: string;
  q: string;
  status?: TicketStatus;
  limit: number;
  cursor?: string;
}

/**
 * The tenant's tickets with every word of `q`, newest first, as their views stand. The longest
 * word is read first (the likeliest to be rare); each of its tickets is checked for the others.
 */
export async function searchTickets(deps: Deps, query: SearchQuery): Promise<Page<Ticket>> {
  const words = searchWords(query.q)
    .slice(0, maxQueryWords)
    .sort((a, b) => b.length - a.length);
  if (words.length === 0) throw new NothingToSearch('no word to search for');
  const hashes = await deps.searchIndex.hashWords(query.tenantId, words);
  // The cursor names the query by hash: it holds no word either.
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([...hashes].sort().concat(query.status ?? '')))
    .digest('base64url')
    .slice(0, 22);
  let after = query.cursor ? afterOf(query.cursor, fingerprint) : undefined;
  const items: Ticket[] = [];
  let examined = 0;
  while (items.length < query.limit && examined < maxTicketsExamined) {
    const wanted = query.limit - items.length;
    const found = await deps.searchIndex.matching(query.tenantId, hashes, {
      before: after,
      limit: wanted,
      examine: maxTicketsExamined - examined,
    });
    const views = await deps.ticketViews.getMany(found.ticketIds);
    for (const id of found.ticketIds) {
      const ticket = views.get(id);
      if (ticket && ticket.tenantId === query.tenantId && (query.status === undefined || ticket.status === query.status))
        items.push(ticket);
    }
    examined += found.examined;
    if (found.last === null) return { items, nextCursor: null };
    after = found.last;
  }
  return { items, nextCursor: Buffer.from(JSON.stringify({ q: fingerprint, after })).toString('base64url') };
}

function afterOf(cursor: string, fingerprint: string): string {
  const parsed = cursorSchema.safeParse(cursorContent(cursor));
  if (!parsed.success) throw new InvalidCursorError('the cursor is not one this API issued');
  if (parsed.data.q !== fingerprint) throw new InvalidCursorError('the cursor belongs to another query');
  return parsed.data.after;
}
