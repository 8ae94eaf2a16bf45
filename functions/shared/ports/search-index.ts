/**
 * The search index of a region's tickets: per tenant, keyed hashes of words (never the words) and
 * the tickets they occur in; rebuilt from the events at will. Layout in dynamodb/search-index.ts.
 */
export interface SearchIndex {
  /** The tenant's keyed hash of each word (HMAC under a key derived from the region's lookup key). */
  hashWords(tenantId: string, words: string[]): Promise<string[]>;
  /** What the ticket is indexed by now, and up to which stream version; null when not indexed. */
  indexed(tenantId: string, ticketId: string): Promise<{ version: number; hashes: string[] } | null>;
  /** Replaces the ticket's entries (`before`, as `indexed` gave them): adds the hashes it did not have, removes those it no longer has. */
  replace(
    tenantId: string,
    ticketId: string,
    before: string[],
    next: { version: number; hashes: string[] },
  ): Promise<{ added: number; removed: number }>;
  /**
   * Ticket ids with every hash, newest first, after `before` (a ticket id) when given: at most
   * `limit` of them, having looked at no more than `examine` tickets of the first hash (`examined`).
   * `last` is the last ticket looked at (where to go on from), null when there is nothing more.
   */
  matching(
    tenantId: string,
    hashes: string[],
    options: { before?: string; limit: number; examine: number },
  ): Promise<{ ticketIds: string[]; examined: number; last: string | null }>;
}
