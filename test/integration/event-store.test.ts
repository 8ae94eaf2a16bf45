import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalEventText, canonicalJson, chainEvents, genesisHash, sha256Hex, type UnchainedEvent } from '../../events/hash-chain.ts';
import { storedCanonicalText } from '../../functions/shared/dynamodb/event-store.ts';
import { ConcurrencyError } from '../../functions/shared/ports/event-store.ts';
import { testDeps } from '../support/deps.ts';
import { tagsSetEvent as unchained } from '../support/events.ts';

/** One event, linked to a made-up predecessor; commits of several are chained with `chain`. */
const event = (...args: Parameters<typeof unchained>) => chainEvents([unchained(...args)], genesisHash)[0]!;
const chain = (...events: UnchainedEvent[]) => chainEvents(events, genesisHash);

describe('DynamoDB event store', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  beforeAll(async () => {
    deps = await testDeps();
  });

  it('appends several events atomically and reads them back in order, exactly as written', async () => {
    const written = chain(unchained('ticket#a', 1), unchained('ticket#a', 2, { nested: { n: 1.5, s: 'ü' } }), unchained('ticket#a', 3));
    await deps.eventStore.append(written);
    expect(await deps.eventStore.readStream('ticket#a')).toEqual(written);
    expect(await deps.eventStore.readStream('ticket#a', { toVersion: 2 })).toEqual(written.slice(0, 2));
    expect(await deps.eventStore.readStream('ticket#none')).toEqual([]);
  });

  it('stores actor and data as their canonical text, so a record hashes from its stored form without parsing', async () => {
    const [written] = chain(unchained('ticket#text', 1, { z: 'ü', a: [1.5, { y: null, b: true }], m: '"quoted" \\ \u2028' }));
    await deps.eventStore.append([written!]);
    const { Items = [] } = await deps.dynamodb.send(new ScanCommand({ TableName: deps.config.eventsTable }));
    const item = Items.find((i) => i.streamId!.S === 'ticket#text')!;
    expect(item.data!.S).toBe(canonicalJson(written!.data));
    expect(storedCanonicalText(item)).toBe(canonicalEventText(written!));
    expect(sha256Hex(storedCanonicalText(item)!)).toBe(written!.hash);
    expect(storedCanonicalText({ ...item, version: { N: '01' } })).toBeNull();
  });

  it('refuses a version that is taken, and writes none of the commit', async () => {
    await deps.eventStore.append([event('ticket#b', 1)]);
    const error = await deps.eventStore.append(chain(unchained('ticket#b', 1), unchained('ticket#b', 2))).catch((e) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error.reason).toBe('version_taken');
    expect((await deps.eventStore.readStream('ticket#b')).map((e) => e.version)).toEqual([1]);
  });

  it('takes a lone event written again (a retry after a lost answer) as landed, and another event at its version as a lost race', async () => {
    const first = event('ticket#lone', 1, { attempt: 1 });
    await deps.eventStore.append([first]);
    await expect(deps.eventStore.append([first])).resolves.toBeUndefined();
    const other = await deps.eventStore.append([event('ticket#lone', 1, { attempt: 2 })]).catch((e) => e);
    expect(other).toBeInstanceOf(ConcurrencyError);
    expect(other.reason).toBe('version_taken');
    expect(await deps.eventStore.readStream('ticket#lone')).toEqual([first]);
  });

  it('fails the whole commit when a guard item fails', async () => {
    const claim = deps.idempotency.claim(
      { tenantId: 'acme', key: 'k1', requestHash: 'h', streamId: 'ticket#c', firstVersion: 1, lastVersion: 1, expiresAt: 9e9 },
      0,
    );
    await deps.eventStore.append([event('ticket#c', 1)], [claim]);
    const error = await deps.eventStore.append([event('ticket#c', 2)], [claim]).catch((e) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error.reason).toBe('guard_failed');
    expect(await deps.eventStore.readStream('ticket#c')).toHaveLength(1);
  });

  it('refuses commits that are not consecutive versions of one stream', async () => {
    await expect(deps.eventStore.append(chain(unchained('ticket#d', 1), unchained('ticket#d', 3)))).rejects.toThrow(/consecutive/);
    await expect(deps.eventStore.append(chain(unchained('ticket#d', 1), unchained('ticket#e', 2)))).rejects.toThrow(/consecutive/);
    await expect(deps.eventStore.append([event('ticket#d', 1), event('ticket#d', 2)])).rejects.toThrow(/unbroken hash chain/);
    await expect(deps.eventStore.append([])).rejects.toThrow();
  });

  it('lets exactly one of many racing writers take each version', async () => {
    const racers = 32;
    const results = await Promise.allSettled(
      Array.from({ length: racers }, (_, i) => deps.eventStore.append([event('ticket#race', 1, { racer: i })])),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConcurrencyError);
    const { Items } = await deps.dynamodb.send(new ScanCommand({ TableName: deps.config.eventsTable }));
    expect(Items!.filter((item) => item.streamId!.S === 'ticket#race')).toHaveLength(1);
  });
});
