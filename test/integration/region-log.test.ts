import { Logger } from '@aws-lambda-powertools/logger';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../events/envelope.ts';
import { chainEvents, genesisHash } from '../../events/hash-chain.ts';
import type { LoggableEvent } from '../../functions/sequencer/plan.ts';
import { type SequencerDeps, sequence } from '../../functions/sequencer/sequencer.ts';
import { s3DigestStore } from '../../functions/shared/aws/s3-digest-store.ts';
import { dynamoHistory } from '../../functions/shared/dynamodb/history.ts';
import { verifyHistory } from '../../functions/shared/dynamodb/history-verify.ts';
import { logInOrder } from '../../functions/shared/ports/region-log-store.ts';
import { testDeps } from '../support/deps.ts';
import { tagsSetEvent } from '../support/events.ts';

const streamOf = (streamId: string, versions: number): StoredEvent[] =>
  chainEvents(
    Array.from({ length: versions }, (_, i) => tagsSetEvent(streamId, i + 1)),
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

describe('the sequencer and the region log (DynamoDB Local)', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let sequencer: SequencerDeps;
  const logged = async () => {
    const entries = [];
    for await (const page of logInOrder(deps.regionLog)) entries.push(...page);
    return entries;
  };
  beforeAll(async () => {
    deps = await testDeps();
    sequencer = { regionLog: deps.regionLog, eventStore: deps.eventStore, logger: new Logger({ logLevel: 'SILENT' }) };
  });

  it('logs each event once however often it is delivered, and fills a gap from the table in version order', async () => {
    const events = streamOf('ticket#gap', 4);
    await deps.eventStore.append(events);
    await sequence(sequencer, [loggable(events[0]!)]);
    await sequence(sequencer, [loggable(events[3]!), loggable(events[0]!), loggable(events[3]!)]); // 2 and 3 were lost
    await sequence(sequencer, events.map(loggable)); // everything redelivered
    expect((await logged()).map((e) => `${e.streamId}@${e.version}`)).toEqual([
      'ticket#gap@1',
      'ticket#gap@2',
      'ticket#gap@3',
      'ticket#gap@4',
    ]);
  });

  it('keeps one gapless order when shards race for the head, and splits batches beyond one transaction', async () => {
    const streams = Array.from({ length: 12 }, (_, i) => streamOf(`ticket#race-${i}`, 25));
    for (const events of streams) await deps.eventStore.append(events);
    // Four "shards", three streams each (a stream stays on one shard), 75 events a batch, delivered at once.
    await Promise.all(
      [0, 1, 2, 3].map((shard) =>
        sequence(
          sequencer,
          streams
            .slice(shard * 3, shard * 3 + 3)
            .flat()
            .map(loggable),
        ),
      ),
    );
    const entries = await logged();
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries).toHaveLength(4 + 12 * 25);
    for (const events of streams) {
      expect(entries.filter((e) => e.streamId === events[0]!.streamId).map((e) => e.version)).toEqual(events.map((e) => e.version));
    }
    const report = await verifyHistory(
      dynamoHistory({
        dynamodb: deps.dynamodb,
        eventsTable: deps.config.eventsTable,
        regionLog: deps.regionLog,
        digests: { latest: async () => null, put: async () => {} },
      }),
    );
    expect(report).toMatchObject({ ok: true, events: 304, streams: 13, logEntries: 304, unsequenced: 0 });
  });
});

describe('the S3 digest store (request shapes; S3 does not run here)', () => {
  const digest = {
    region: 'eu-central-1',
    seq: 42,
    hash: 'a'.repeat(64),
    streamId: 'ticket#x',
    version: 3,
    writtenAt: '2026-11-24T10:15:00.000Z',
    previousDigestHash: null,
  };

  it('writes each digest once under its region prefix, newest first, with a checksum, and reads the newest back', async () => {
    const sent: unknown[] = [];
    const s3 = {
      send: async (command: unknown) => {
        sent.push(command);
        if (command instanceof ListObjectsV2Command) return { Contents: [{ Key: 'digests/eu-central-1/newest.json' }] };
        if (command instanceof GetObjectCommand) return { Body: { transformToString: async () => JSON.stringify(digest) } };
        return {};
      },
    } as unknown as S3Client;
    const store = s3DigestStore(s3, 'digest-bucket', 'eu-central-1');
    await store.put(digest);
    const put = sent[0] as PutObjectCommand;
    expect(put).toBeInstanceOf(PutObjectCommand);
    expect(put.input).toMatchObject({
      Bucket: 'digest-bucket',
      ContentType: 'application/json',
      ChecksumAlgorithm: 'SHA256',
      IfNoneMatch: '*',
    });
    expect(put.input.Key).toBe(`digests/eu-central-1/${9_999_999_999_999 - Date.parse(digest.writtenAt)}-42.json`);
    expect(JSON.parse(put.input.Body as string)).toEqual(digest);
    expect(await store.latest()).toEqual(digest);
    expect((sent[1] as ListObjectsV2Command).input).toEqual({ Bucket: 'digest-bucket', Prefix: 'digests/eu-central-1/', MaxKeys: 1 });
    expect((sent[2] as GetObjectCommand).input).toEqual({ Bucket: 'digest-bucket', Key: 'digests/eu-central-1/newest.json' });
  });
});
