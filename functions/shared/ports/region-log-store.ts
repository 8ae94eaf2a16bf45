import { MeridianError } from '../../../domain/meridian-error.ts';
import type { RegionLogEntry } from '../../../events/region-log.ts';

export interface LogHead {
  seq: number;
  hash: string;
}

/** How far the log covers one stream. */
export interface StreamCursor {
  lastVersion: number;
  lastHash: string;
}

export interface LogPage {
  entries: RegionLogEntry[];
  /** Whether entries after the last one returned exist (at the time of reading). */
  more: boolean;
}

export interface RegionLogStore {
  /** The last entry's place and hash: the log has no head item to keep in step with it. */
  head(): Promise<LogHead | null>;
  cursors(streamIds: string[]): Promise<Map<string, StreamCursor>>;
  /** Entries with `seq > after`, in order; of one tenant through the index when `tenantId` is given. */
  page(options: { after: number; limit: number; tenantId?: string }): Promise<LogPage>;
  entry(seq: number): Promise<RegionLogEntry | null>;
  /**
   * Appends entries (numbered on from the head) and moves the cursors, all or nothing: if another
   * sequencer took one of those numbers or moved a cursor first, nothing is written and LogRaced
   * is thrown.
   */
  append(entries: RegionLogEntry[], cursors: Map<string, { from: StreamCursor | null; to: StreamCursor }>): Promise<void>;
}

export class LogRaced extends MeridianError {}

/** Every entry of the region log from `after` on, a page at a time. */
export async function* logInOrder(
  regionLog: RegionLogStore,
  options: { after?: number; tenantId?: string; pageSize?: number } = {},
): AsyncGenerator<RegionLogEntry[]> {
  let after = options.after ?? 0;
  for (;;) {
    const { entries, more } = await regionLog.page({ after, limit: options.pageSize ?? 1000, tenantId: options.tenantId });
    if (entries.length > 0) yield entries;
    if (!more || entries.length === 0) return;
    after = entries.at(-1)!.seq;
  }
}
