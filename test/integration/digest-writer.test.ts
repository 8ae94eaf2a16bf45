import { Logger } from '@aws-lambda-powertools/logger';
import { beforeAll, describe, expect, it } from 'vitest';
import { chainEvents, genesisHash } from '../../events/hash-chain.ts';
import { writeDigest } from '../../functions/digest/digest.ts';
import { sequence } from '../../functions/sequencer/sequencer.ts';
import { logHeads, spanMs, spanOf, type TenantLogStore } from '../../functions/shared/ports/tenant-log-store.ts';
import { testDeps } from '../support/deps.ts';
import { memoryDigests, memorySigner } from '../support/digests.ts';
import { tagsSetEvent } from '../support/events.ts';

/** The clock the sequencer and the digest writer share here; the tests move it across spans. */
// 30 s into a five-minute span of the real time: the moved notes expire a week after the clock's
// time, and DynamoDB Local's TTL sweeper removes them by the real one.
let now = new Date(Math.floor(Date.now() / 300_000) * 300_000 + 30_000);
const advance = (ms: number) => (now = new Date(now.getTime() + ms));

describe('the digest writer reads the heads of the tenants that moved (DynamoDB Local)', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  /** The tenants whose last commit the digest writer read, and the spans the sequencer noted. */
  let headsRead: string[] = [];
  let notes: Array<[string, number]> = [];
  let counted: TenantLogStore;
  const digests = memoryDigests();
  const signer = memorySigner();
  const versions = new Map<string, number>();
  const tenants = Array.from({ length: 20 }, (_, i) => `tenant-${String(i).padStart(2, '0')}`);

  /** One more event on the tenant's stream, appended and sequenced. */
  const commitTo = async (tenantId: string) => {
    const streamId = `ticket#digest-${tenantId}`;
    const version = (versions.get(streamId) ?? 0) + 1;
    const previous = version === 1 ? genesisHash : (await deps.eventStore.readStream(streamId)).at(-1)!.hash;
    const [event] = chainEvents([{ ...tagsSetEvent(streamId, version), tenantId }], previous);
    await deps.eventStore.append([event!]);
    versions.set(streamId, version);
    await sequence({ tenantLog: counted, eventStore: deps.eventStore, logger: new Logger({ logLevel: 'SILENT' }), clock: () => now }, [
      event!,
    ]);
  };
  const digest = () => {
    headsRead = [];
    return writeDigest({ region: 'eu-central-1', tenantLog: counted, digests, signer, clock: () => now });
  };

  beforeAll(async () => {
    deps = await testDeps();
    counted = {
      ...deps.tenantLog,
      lastCommit: (tenantId) => {
        headsRead.push(tenantId);
        return deps.tenantLog.lastCommit(tenantId);
      },
      markMoved: (tenantId, span) => {
        notes.push([tenantId, span]);
        return deps.tenantLog.markMoved(tenantId, span);
      },
    };
  });

  it('notes a tenant once in each span it commits in, and keeps when each commit was written', async () => {
    notes = [];
    const span = spanOf(now);
    for (let i = 0; i < 3; i++) await commitTo('tenant-00');
    expect(notes).toEqual([['tenant-00', span]]);
    expect((await deps.tenantLog.lastCommit('tenant-00'))!.committedAt).toBe(now.toISOString());
    advance(spanMs);
    await commitTo('tenant-00');
    expect(notes).toEqual([
      ['tenant-00', span],
      ['tenant-00', span + 1],
    ]);
    expect(await deps.tenantLog.movedIn(span, span + 1)).toEqual(['tenant-00']);
    expect(await deps.tenantLog.movedIn(span + 2, span + 5)).toEqual([]);
  });

  it("reads every head for the first digest, then only the moved tenants' heads, and gives the heads a full read gives", async () => {
    for (const tenantId of tenants) await commitTo(tenantId);
    // A digest reads the notes from two spans before the previous digest on: these are out of its window.
    advance(3 * spanMs);
    const first = await digest();
    expect(headsRead.sort()).toEqual(tenants);
    expect(first!.heads).toEqual(await logHeads(deps.tenantLog));

    advance(60_000);
    await commitTo('tenant-03');
    await commitTo('tenant-07');
    const second = await digest();
    expect(headsRead.sort()).toEqual(['tenant-03', 'tenant-07']);
    expect(second!.heads).toEqual(await logHeads(deps.tenantLog));
    expect(second!.heads.find((head) => head.tenantId === 'tenant-03')!.seq).toBe(2);
    expect(second!.previousDigestHash).not.toBeNull();

    // The next digest reads them again (their notes are in its window, by the margin) and the one that moved since.
    advance(3 * spanMs);
    await commitTo('tenant-11');
    const third = await digest();
    expect(headsRead.sort()).toEqual(['tenant-03', 'tenant-07', 'tenant-11']);
    expect(third!.heads).toEqual(await logHeads(deps.tenantLog));

    advance(3 * spanMs);
    await commitTo('tenant-11');
    await digest();
    expect(headsRead).toEqual(['tenant-11']);
    expect(await digest()).toBeNull();
    expect(headsRead).toEqual(['tenant-11']);
  });

  it('reads every head when the previous digest gives nothing to go on: a day old, or written by a clock ahead of this one', async () => {
    advance(25 * 3600_000);
    await commitTo('tenant-05');
    const dayLate = await digest();
    expect(headsRead.sort()).toEqual(tenants);
    expect(dayLate!.heads).toEqual(await logHeads(deps.tenantLog));

    advance(-3600_000);
    await commitTo('tenant-06');
    const behind = await digest();
    expect(headsRead.sort()).toEqual(tenants);
    expect(behind!.heads).toEqual(await logHeads(deps.tenantLog));
    expect(Date.parse(behind!.writtenAt)).toBeGreaterThan(Date.parse(dayLate!.writtenAt));
  });
});
