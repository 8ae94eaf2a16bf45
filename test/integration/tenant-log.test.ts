import { Logger } from '@aws-lambda-powertools/logger';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../events/envelope.ts';
import { chainEvents, genesisHash } from '../../events/hash-chain.ts';
import { digestHash, digestText } from '../../events/heads-digest.ts';
import { type LoggableEvent, planLogCommit } from '../../functions/sequencer/plan.ts';
import { type SequencerDeps, sequence } from '../../functions/sequencer/sequencer.ts';
import { s3DigestStore } from '../../functions/shared/aws/s3-digest-store.ts';
import { dynamoHistory } from '../../functions/shared/dynamodb/history.ts';
import { verifyHistory } from '../../functions/shared/dynamodb/history-verify.ts';
import { noDigests } from '../../functions/shared/ports/digest-store.ts';
import { LogRaced, logInOrder } from '../../functions/shared/ports/tenant-log-store.ts';
import { testDeps } from '../support/deps.ts';
import { tagsSetEvent } from '../support/events.ts';

const streamOf = (streamId: string, versions: number, tenantId = 'acme'): StoredEvent[] =>
  chainEvents(
    Array.from({ length: versions }, (_, i) => ({ ...tagsSetEvent(streamId, i + 1), tenantId })),
    genesisHash,
  );
const loggable = ({ streamId, version, eventId, tenantId, recordedAt, hash }: StoredEvent): LoggableEvent => ({
  streamId,
  version,
  eventId,
  tenantId,
  recordedAt,
  hash,
});

describe('the sequencer and the tenant logs (DynamoDB Local)', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let sequencer: SequencerDeps;
  const logged = async (tenantId: string) => {
    const entries = [];
    for await (const page of logInOrder(deps.tenantLog, { tenantId })) entries.push(...page);
    return entries;
  };
  const verified = () =>
    verifyHistory(
      dynamoHistory({
        dynamodb: deps.dynamodb,
        eventsTable: deps.config.eventsTable,
        tenantLog: deps.tenantLog,
        digests: noDigests,
      }),
    );
  beforeAll(async () => {
    deps = await testDeps();
    sequencer = {
      tenantLog: deps.tenantLog,
      eventStore: deps.eventStore,
      logger: new Logger({ logLevel: 'SILENT' }),
      clock: () => new Date(),
    };
  });

  it('logs each event once however often it is delivered, and fills a gap from the table in version order', async () => {
    const events = streamOf('ticket#gap', 4, 'gaps');
    await deps.eventStore.append(events);
    await sequence(sequencer, [loggable(events[0]!)]);
    await sequence(sequencer, [loggable(events[3]!), loggable(events[0]!), loggable(events[3]!)]); // 2 and 3 were lost
    await sequence(sequencer, events.map(loggable)); // everything redelivered
    expect((await logged('gaps')).map((e) => `${e.streamId}@${e.version}#${e.seq}`)).toEqual([
      'ticket#gap@1#1',
      'ticket#gap@2#2',
      'ticket#gap@3#3',
      'ticket#gap@4#4',
    ]);
  });

  it('gives each tenant its own gapless order while shards race, and splits batches beyond one commit', async () => {
    const tenants = ['north', 'south', 'east'];
    const streams = tenants.flatMap((tenantId) =>
      Array.from({ length: 8 }, (_, i) => streamOf(`ticket#race-${tenantId}-${i}`, 30, tenantId)),
    );
    for (const events of streams) await deps.eventStore.append(events);
    // Four "shards", six streams each (a stream stays on one shard), tenants mixed, 180 events a batch, delivered at once.
    await Promise.all(
      [0, 1, 2, 3].map((shard) =>
        sequence(
          sequencer,
          streams
            .filter((_, i) => i % 4 === shard)
            .flat()
            .map(loggable),
        ),
      ),
    );
    for (const tenantId of tenants) {
      const entries = await logged(tenantId);
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      expect(entries).toHaveLength(8 * 30);
      expect(entries.every((e) => e.tenantId === tenantId)).toBe(true);
      for (const events of streams.filter((events) => events[0]!.tenantId === tenantId)) {
        expect(entries.filter((e) => e.streamId === events[0]!.streamId).map((e) => e.version)).toEqual(events.map((e) => e.version));
      }
    }
    expect(await deps.tenantLog.tenants()).toEqual(expect.arrayContaining(tenants));
    expect(await verified()).toMatchObject({ ok: true, unsequenced: 0, broken: [] });
  });

  it('moves the cursors a writer left behind before it commits again, so a redelivery is not logged twice', async () => {
    const events = streamOf('ticket#stopped', 3, 'stopped');
    await deps.eventStore.append(events);
    // A writer committed the three events, then stopped before moving the stream's cursor.
    await deps.tenantLog.append('stopped', planLogCommit(null, new Map(), events.map(loggable)));
    expect(await deps.tenantLog.cursors(['ticket#stopped'])).toEqual(new Map());
    await sequence(sequencer, events.map(loggable));
    expect((await logged('stopped')).map((e) => e.version)).toEqual([1, 2, 3]);
    expect((await deps.tenantLog.cursors(['ticket#stopped'])).get('ticket#stopped')?.lastVersion).toBe(3);
    // A cursor never moves back, whoever writes late.
    await deps.tenantLog.advanceCursors(new Map([['ticket#stopped', { lastVersion: 1, lastHash: events[0]!.hash }]]));
    expect((await deps.tenantLog.cursors(['ticket#stopped'])).get('ticket#stopped')?.lastVersion).toBe(3);
  });

  it('refuses a commit whose place another writer took, and pages across commits from any position', async () => {
    const events = streamOf('ticket#pages', 250, 'pages');
    for (let from = 0; from < 250; from += 50) await deps.eventStore.append(events.slice(from, from + 50));
    await sequence(sequencer, events.slice(0, 7).map(loggable));
    await sequence(sequencer, events.slice(7, 150).map(loggable)); // commits of 100 and 43
    await sequence(sequencer, events.slice(150).map(loggable));
    const stale = planLogCommit(null, new Map(), events.slice(0, 1).map(loggable));
    await expect(deps.tenantLog.append('pages', stale)).rejects.toBeInstanceOf(LogRaced);
    for (const [after, limit] of [
      [0, 5],
      [5, 10],
      [6, 1],
      [99, 3],
      [106, 100],
      [149, 2],
      [240, 100],
      [250, 10],
    ] as const) {
      const { entries, more } = await deps.tenantLog.page({ tenantId: 'pages', after, limit });
      const expected = Math.min(limit, 250 - after);
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: expected }, (_, i) => after + i + 1));
      expect(more).toBe(after + expected < 250);
    }
  });
});

describe('the S3 digest store (request shapes; S3 does not run here)', () => {
  const digest = {
    region: 'eu-central-1',
    heads: [{ tenantId: 'acme', seq: 42, hash: 'a'.repeat(64), root: 'b'.repeat(64) }],
    root: 'c'.repeat(64),
    writtenAt: '2026-11-24T10:15:00.000Z',
    previousDigestHash: null,
  };
  const text = digestText(digest);
  const signature = new Uint8Array([0x30, 0x44, 1, 2, 3]);
  const name = `digests/eu-central-1/${9_999_999_999_999 - Date.parse(digest.writtenAt)}-${digestHash(digest).slice(0, 16)}`;

  it('writes each digest once under its region prefix, newest first, its signature beside it, and reads them back', async () => {
    const sent: unknown[] = [];
    const s3 = {
      send: async (command: unknown) => {
        sent.push(command);
        if (command instanceof ListObjectsV2Command) return { Contents: [{ Key: `${name}.json` }, { Key: `${name}.sig` }] };
        if (command instanceof GetObjectCommand) {
          const bytes = command.input.Key!.endsWith('.sig') ? signature : new TextEncoder().encode(text);
          return { Body: { transformToByteArray: async () => bytes } };
        }
        return {};
      },
    } as unknown as S3Client;
    const store = s3DigestStore(s3, 'digest-bucket', 'eu-central-1');
    await store.put({ digest, text, signature });
    const [putSignature, putText] = sent as [PutObjectCommand, PutObjectCommand];
    for (const put of [putSignature, putText]) {
      expect(put).toBeInstanceOf(PutObjectCommand);
      expect(put.input).toMatchObject({ Bucket: 'digest-bucket', ChecksumAlgorithm: 'SHA256', IfNoneMatch: '*' });
    }
    // The signature lands first: a digest is never listed without the signature that covers it.
    expect(putSignature.input).toMatchObject({ Key: `${name}.sig`, Body: signature, ContentType: 'application/octet-stream' });
    expect(putText.input).toMatchObject({ Key: `${name}.json`, Body: text, ContentType: 'application/json' });
    sent.length = 0;
    expect(await store.latest()).toEqual({ digest, text, signature });
    expect((sent[0] as ListObjectsV2Command).input).toEqual({ Bucket: 'digest-bucket', Prefix: 'digests/eu-central-1/', MaxKeys: 2 });
    expect(sent.slice(1).map((c) => (c as GetObjectCommand).input.Key)).toEqual([`${name}.json`, `${name}.sig`]);
    expect(await store.all()).toEqual([{ digest, text, signature }]);
  });
});
