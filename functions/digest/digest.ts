import { canonicalJson } from '../../events/hash-chain.ts';
import { digestHash, digestText, type HeadsDigest, regionRoot } from '../../events/heads-digest.ts';
import type { DigestSigner } from '../shared/ports/digest-signer.ts';
import type { DigestStore } from '../shared/ports/digest-store.ts';
import { logHeads, type TenantLogStore } from '../shared/ports/tenant-log-store.ts';

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
  const heads = await logHeads(deps.tenantLog);
  if (heads.length === 0) return null;
  const previous = (await deps.digests.latest())?.digest;
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
