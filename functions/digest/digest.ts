import { digestHash, type HeadDigest } from '../../events/region-log.ts';
import type { DigestStore } from '../shared/ports/digest-store.ts';
import type { RegionLogStore } from '../shared/ports/region-log-store.ts';

export interface DigestDeps {
  region: string;
  regionLog: RegionLogStore;
  digests: DigestStore;
  clock: () => Date;
}

/**
 * Writes the region's head out where it cannot be changed, if it moved since the last digest:
 * afterwards, cutting the end off the history (events and log alike) is detected by `verify`.
 */
export async function writeDigest(deps: DigestDeps): Promise<HeadDigest | null> {
  const head = await deps.regionLog.head();
  if (!head) return null;
  const previous = await deps.digests.latest();
  if (previous?.seq === head.seq) return null;
  const entry = await deps.regionLog.entry(head.seq);
  if (!entry) throw new Error(`the log head names entry ${head.seq}, which is missing`);
  const digest: HeadDigest = {
    region: deps.region,
    seq: entry.seq,
    hash: entry.hash,
    streamId: entry.streamId,
    version: entry.version,
    writtenAt: deps.clock().toISOString(),
    previousDigestHash: previous ? digestHash(previous) : null,
  };
  await deps.digests.put(digest);
  return digest;
}
