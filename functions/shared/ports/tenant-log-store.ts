import { MeridianError } from '../../../domain/meridian-error.ts';
import { frontierRoot } from '../../../events/merkle.ts';
import type { LogCommitRecord, TenantLogEntry, TenantLogHead } from '../../../events/tenant-log.ts';

/** How far a tenant's log covers one stream. */
export interface StreamCursor {
  lastVersion: number;
  lastHash: string;
}

export interface LogPage {
  entries: TenantLogEntry[];
  /** Whether entries after the last one returned exist (at the time of reading). */
  more: boolean;
}

/**
 * Every tenant's log of the region. A commit is the unit of writing: entries numbered on from the
 * tenant's head, written together or not at all. Stream cursors are moved after a commit lands;
 * the next writer first moves any that its predecessor left behind, so a cursor lags the log by
 * at most the tenant's last commit.
 */
export interface TenantLogStore {
  /** Every tenant that has a log, sorted by id. */
  tenants(): Promise<string[]>;
  /** The tenant's last commit, whose last entry is the head; null while the tenant has none. */
  lastCommit(tenantId: string): Promise<LogCommitRecord | null>;
  cursors(streamIds: string[]): Promise<Map<string, StreamCursor>>;
  /** The tenant's entries with `seq > after`, in order. */
  page(options: { tenantId: string; after: number; limit: number }): Promise<LogPage>;
  /** Writes one commit; if another writer took its place first, nothing is written and LogRaced is thrown. */
  append(tenantId: string, commit: LogCommitRecord): Promise<void>;
  /** Moves each stream's cursor forward to the given one; a cursor already there or further stays. */
  advanceCursors(cursors: Map<string, StreamCursor>): Promise<void>;
  /** Notes that the tenant's log moves in this span (movedSpan); again is harmless. Written before the commit it announces. */
  markMoved(tenantId: string, span: number): Promise<void>;
  /** The tenants noted as moving in spans `from` to `to`, sorted, each once. */
  movedIn(from: number, to: number): Promise<string[]>;
}

/**
 * Five minutes: a tenant's log is noted as moving once in each span it commits in, by the first
 * commit of the span, so the digest writer reads the heads of the tenants that moved and not of
 * every tenant. Spans are numbered from the epoch.
 */
export const spanMs = 5 * 60_000;
export const spanOf = (at: Date | string): number => Math.floor(new Date(at).getTime() / spanMs);

/** The span to note a commit at `now` in, when the tenant's last commit was in an earlier one (or is older than committedAt). */
export function spanToNote(last: LogCommitRecord | null, now: Date): number | null {
  const span = spanOf(now);
  return last?.committedAt && spanOf(last.committedAt) >= span ? null : span;
}

export class LogRaced extends MeridianError {}

/** The head a commit leaves: its last entry, and the tree head of its frontier. */
export const headOf = (commit: LogCommitRecord | null): TenantLogHead | null => {
  const last = commit?.entries.at(-1);
  return last ? { tenantId: last.tenantId, seq: last.seq, hash: last.hash, root: frontierRoot(commit!.frontier) } : null;
};

/** Every tenant's head, sorted by tenant id. */
export async function logHeads(log: TenantLogStore): Promise<TenantLogHead[]> {
  const tenants = await log.tenants();
  const heads = await Promise.all(tenants.map(async (tenantId) => headOf(await log.lastCommit(tenantId))));
  return heads.filter((head) => head !== null);
}

/** How many events the region's tenant logs hold: their heads' places, summed. */
export const eventsLogged = async (log: TenantLogStore): Promise<number> =>
  (await logHeads(log)).reduce((count, head) => count + head.seq, 0);

/** Every entry of one tenant's log from `after` on, a page at a time. */
export async function* logInOrder(
  log: TenantLogStore,
  options: { tenantId: string; after?: number; pageSize?: number },
): AsyncGenerator<TenantLogEntry[]> {
  let after = options.after ?? 0;
  for (;;) {
    const { entries, more } = await log.page({ tenantId: options.tenantId, after, limit: options.pageSize ?? 1000 });
    if (entries.length > 0) yield entries;
    if (!more || entries.length === 0) return;
    after = entries.at(-1)!.seq;
  }
}
