import { canonicalJson } from '../../events/hash-chain.ts';
import { digestHash, digestText, type HeadsDigest, regionRoot } from '../../events/heads-digest.ts';
import type { TenantLogHead } from '../../events/tenant-log.ts';
import type { DigestSigner } from '../shared/ports/digest-signer.ts';
import type { DigestStore } from '../shared/ports/digest-store.ts';
import { headOf, logHeads, spanMs, spanOf, type TenantLogStore } from '../shared/ports/tenant-log-store.ts';

export interface DigestDeps {
  region: string;
  tenantLog: TenantLogStore;
  digests: DigestStore;
  signer: DigestSigner;
  clock: () => Date;
}

/**
 * Writes every tenant log's head out where it cannot be changed, signed, if any moved since the
 * last digest: afterwards, cutting the end off a tenant's history (events and log alike) is
 * detected by `verify`, and the digest itself by its signature and its successor's link.
 */
export async function writeDigest(deps: DigestDeps): Promise<HeadsDigest | null> {
  const previous = (await deps.digests.latest())?.digest ?? null;
  const heads = await headsNow(deps, previous);
  if (heads.length === 0) return null;
  if (previous && canonicalJson(previous.heads) === canonicalJson(heads)) return null;
  // Always later than the digest it follows, so names sort the chain in its order whatever the writers' clocks say.
  const writtenAt = Math.max(deps.clock().getTime(), previous ? Date.parse(previous.writtenAt) + 1 : 0);
  const digest: HeadsDigest = {
    region: deps.region,
    heads,
    root: regionRoot(heads),
    writtenAt: new Date(writtenAt).toISOString(),
    previousDigestHash: previous ? digestHash(previous) : null,
  };
  const text = digestText(digest);
  await deps.digests.put({ digest, text, signature: await deps.signer.sign(Buffer.from(text, 'utf8')) });
  return digest;
}

/**
 * Spans read before the previous digest's: it read the heads before it was written, and a commit
 * is noted a moment before it lands (sequencer clocks differ a little, too).
 */
const spansOfMargin = 2;
/** Beyond a day since the previous digest, every head is read: as cheap as that many spans, and the notes may have expired. */
const maxSpansRead = (24 * 3600_000) / spanMs;

/**
 * Every tenant's head now: the previous digest's heads, with those of the tenants whose logs
 * moved since read again, so a digest costs what changed, not what the region holds. With no
 * usable previous digest (none, one from before tenant heads, one a day old or written by a
 * clock ahead of this one), every tenant's head is read.
 */
async function headsNow(deps: DigestDeps, previous: HeadsDigest | null): Promise<TenantLogHead[]> {
  const now = spanOf(deps.clock());
  const from = previous?.heads?.every((head) => head.root) ? spanOf(previous.writtenAt) - spansOfMargin : null;
  if (from === null || now < from + spansOfMargin || now - from > maxSpansRead) return logHeads(deps.tenantLog);
  const moved = await deps.tenantLog.movedIn(from, now + 1);
  const heads = new Map(previous!.heads.map((head) => [head.tenantId, head]));
  const read = await Promise.all(moved.map(async (tenantId) => headOf(await deps.tenantLog.lastCommit(tenantId))));
  for (const head of read) if (head) heads.set(head.tenantId, head);
  return [...heads.values()].sort((a, b) => (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0));
}
