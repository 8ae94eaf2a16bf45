import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { StoredEvent } from '../../events/envelope.ts';
import { chainEvents, genesisHash } from '../../events/hash-chain.ts';
import { logEntryFor, planLogCommit } from '../../functions/sequencer/plan.ts';
import { holdsRegionLog } from '../../functions/shared/dynamodb/tenant-log-store.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { logInOrder, type TenantLogStore } from '../../functions/shared/ports/tenant-log-store.ts';
import { migrateRegionLog } from '../../infra/cli/migrate-log.ts';
import { testDeps } from '../support/deps.ts';
import { tagsSetEvent } from '../support/events.ts';
import { auditCli } from '../support/runtime.ts';

const streamOf = (streamId: string, versions: number, tenantId: string): StoredEvent[] =>
  chainEvents(
    Array.from({ length: versions }, (_, i) => ({ ...tagsSetEvent(streamId, i + 1), tenantId })),
    genesisHash,
  );

/** The layout before tenant logs: one chained log of the region under pk "log", in the order given. */
async function writeRegionLog(deps: Deps, events: StoredEvent[]) {
  let prevHash = genesisHash;
  for (const [i, event] of events.entries()) {
    const entry = logEntryFor(event, i + 1, prevHash);
    const item = Object.fromEntries(
      Object.entries(entry).map(([name, value]) => [name, typeof value === 'number' ? { N: String(value) } : { S: value }]),
    );
    await deps.dynamodb.send(new PutItemCommand({ TableName: deps.config.auditTable, Item: { ...item, pk: { S: 'log' } } }));
    prevHash = entry.hash;
  }
}

describe('moving the region log of an earlier Meridian into tenant logs (DynamoDB Local)', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let place: { dataDir: string; dynamodbEndpoint: string };
  const cli = (...args: string[]) => auditCli(place, deps, ...args);
  /** The region's events in the order the old single log gave them: tenants interleaved. */
  const regionOrder: StoredEvent[] = [];

  beforeAll(async () => {
    deps = await testDeps();
    place = { dataDir: mkdtempSync(join(tmpdir(), 'meridian-migrate-')), dynamodbEndpoint: inject('dynamodbEndpoint') };
    const streams = ['acme', 'globex', 'acme', 'initech', 'globex'].map((tenantId, i) => streamOf(`ticket#old-${i}`, 60, tenantId));
    for (const events of streams) for (let from = 0; from < 60; from += 30) await deps.eventStore.append(events.slice(from, from + 30));
    for (let version = 0; version < 60; version++) for (const events of streams) regionOrder.push(events[version]!);
    // The old layout: one chained log under pk "log", and each stream's cursor.
    await writeRegionLog(deps, regionOrder);
    await deps.tenantLog.advanceCursors(
      new Map(streams.map((events) => [events[0]!.streamId, { lastVersion: 60, lastHash: events.at(-1)!.hash }])),
    );
  });

  it('refuses to read the old layout, names the command, moves it (taking up a stopped run), and verifies', async () => {
    expect(await holdsRegionLog(deps.dynamodb, deps.config.auditTable)).toBe(true);
    const refused = await cli('verify');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('run `npm run -s audit -- migrate-log` first');

    // A run that stops after its first commit...
    let commits = 0;
    const stopping: TenantLogStore = {
      ...deps.tenantLog,
      append: async (tenantId, entries) => {
        if (++commits > 1) throw new Error('stopped');
        await deps.tenantLog.append(tenantId, entries);
      },
    };
    await expect(migrateRegionLog(deps.dynamodb, deps.config.auditTable, stopping)).rejects.toThrow('stopped');
    expect(await holdsRegionLog(deps.dynamodb, deps.config.auditTable)).toBe(true);
    // ...is taken up by the next.
    const moved = await cli('migrate-log');
    expect(moved).toMatchObject({ code: 0, stdout: 'eu-central-1: moved 300 region log entries into 3 tenant logs\n' });
    expect(await holdsRegionLog(deps.dynamodb, deps.config.auditTable)).toBe(false);

    for (const tenantId of ['acme', 'globex', 'initech']) {
      const entries = [];
      for await (const page of logInOrder(deps.tenantLog, { tenantId })) entries.push(...page);
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      expect(entries.map((e) => e.eventId)).toEqual(regionOrder.filter((e) => e.tenantId === tenantId).map((e) => e.eventId));
    }
    const verified = await cli('verify');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('verified 300 events in 5 streams (eu-central-1: 300 entries in 3 tenant logs');
    expect((await cli('migrate-log')).stdout).toBe('eu-central-1: no region log to migrate\n');
  });

  it('refuses to move a tenant whose log already holds events the region log does not', async () => {
    const fresh = await testDeps();
    const old = streamOf('ticket#before', 2, 'acme');
    const later = streamOf('ticket#after', 1, 'acme');
    await fresh.eventStore.append(old);
    await fresh.eventStore.append(later);
    await writeRegionLog(fresh, old);
    // A sequencer that ran before the migration logged the new event first.
    await fresh.tenantLog.append('acme', planLogCommit(null, new Map(), [{ ...later[0]!, hash: later[0]!.hash }]));
    await expect(migrateRegionLog(fresh.dynamodb, fresh.config.auditTable, fresh.tenantLog)).rejects.toThrow(
      "tenant acme's log already holds events the region log does not (entry 1)",
    );
    expect(await holdsRegionLog(fresh.dynamodb, fresh.config.auditTable)).toBe(true);
  });
});
