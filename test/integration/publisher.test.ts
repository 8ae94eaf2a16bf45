import { Logger } from '@aws-lambda-powertools/logger';
import type { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { BusEvent } from '../../events/bus-events.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { publisher } from '../../functions/publisher/publisher.ts';
import { eventBridgeBus } from '../../functions/shared/aws/event-bus.ts';
import { eventToItem } from '../../functions/shared/dynamodb/event-store.ts';
import type { EventBus } from '../../functions/shared/ports/event-bus.ts';

const ticketId = '01JDZ0000000000000000000AA';
const stored = (version: number, type: string, data: Record<string, unknown>, schemaVersion = 1): StoredEvent => ({
  eventId: `01JDZ00000000000000000EV${String(version).padStart(2, '0')}`,
  streamId: `ticket#${ticketId}`,
  version,
  type,
  schemaVersion,
  occurredAt: '2026-11-24T09:00:00.000Z',
  recordedAt: '2026-11-24T09:00:00.000Z',
  region: 'eu-central-1',
  tenantId: 'acme',
  actor: { type: 'user', id: 'agent-1' },
  correlationId: 'c',
  causationId: 'r',
  data,
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
});
const record = (event: StoredEvent): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { NewImage: eventToItem(event) as never, SequenceNumber: String(event.version).padStart(21, '0') },
});
const statusChanges = (count: number) =>
  Array.from({ length: count }, (_, i) => stored(i + 1, 'StatusChanged', { from: 'open', to: 'pending' }));
const logger = new Logger({ logLevel: 'SILENT' });

describe('publisher', () => {
  it('publishes in stream order, ten to a put', async () => {
    const puts: BusEvent[][] = [];
    const bus: EventBus = { publish: async (events) => (puts.push(events), []) };
    const result = await publisher({ bus, logger })({ Records: statusChanges(23).map(record) });
    expect(result.batchItemFailures).toEqual([]);
    expect(puts.map((put) => put.length)).toEqual([10, 10, 3]);
    expect(puts.flat().map((event) => event.detail.version)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
  });

  it('reports the first entry the bus refused, so it and all after it come again', async () => {
    let call = 0;
    const bus: EventBus = { publish: async () => (++call === 2 ? [4, 7] : []) };
    const result = await publisher({ bus, logger })({ Records: statusChanges(23).map(record) });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: String(15).padStart(21, '0') }]);
    expect(call).toBe(2);
  });

  it('reports the first record of a put that threw', async () => {
    const bus: EventBus = { publish: async () => Promise.reject(new Error('throttled')) };
    expect((await publisher({ bus, logger })({ Records: statusChanges(3).map(record) })).batchItemFailures).toEqual([
      { itemIdentifier: String(1).padStart(21, '0') },
    ]);
  });

  it('leaves the personal data of a sealed event behind', async () => {
    const puts: BusEvent[][] = [];
    const bus: EventBus = { publish: async (events) => (puts.push(events), []) };
    const opened = stored(
      1,
      'TicketOpened',
      {
        ticketId,
        subject: 'pii:1:x',
        description: 'pii:1:y',
        channel: 'email',
        priority: 'high',
        tags: ['vip'],
        requester: { subjectId: '01JDZ0000000000000000000SS', email: 'pii:1:e', name: 'pii:1:n', country: 'FR', timeZone: 'Europe/Paris' },
        homeRegion: 'eu-central-1',
      },
      2,
    );
    const message = stored(2, 'MessageAdded', { messageId: 'm1', authorId: 'agent-1', from: 'agent', body: 'pii:1:b', public: false }, 2);
    await publisher({ bus, logger })({ Records: [record(opened), record(message)] });
    expect(puts[0]!.map((event) => event.detail)).toEqual([
      expect.objectContaining({
        channel: 'email',
        priority: 'high',
        homeRegion: 'eu-central-1',
        requesterCountry: 'FR',
        requesterTimeZone: 'Europe/Paris',
      }),
      expect.objectContaining({ messageId: 'm1', from: 'agent', public: false }),
    ]);
    expect(JSON.stringify(puts)).not.toMatch(/pii:1:|subjectId|vip|authorId/);
  });
});

describe('EventBridge bus adapter (the service cannot run here: the request is what is checked)', () => {
  it('puts each event on the named bus as JSON detail, and returns the indexes it refused', async () => {
    const sent: PutEventsCommand[] = [];
    const client = {
      send: async (command: PutEventsCommand) => (
        sent.push(command), { FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException' }] }
      ),
    };
    const bus = eventBridgeBus(client as never, 'meridian-eu-central-1');
    const detail = { eventId: 'e', ticketId, occurredAt: '2026-11-24T09:00:00.000Z' };
    const failed = await bus.publish([
      { source: 'meridian.tickets', detailType: 'StatusChanged', detail },
      { source: 'meridian.tickets', detailType: 'TagsSet', detail },
    ]);
    expect(failed).toEqual([1]);
    expect(sent[0]!.input.Entries![0]).toEqual({
      EventBusName: 'meridian-eu-central-1',
      Source: 'meridian.tickets',
      DetailType: 'StatusChanged',
      Detail: JSON.stringify(detail),
      Time: new Date('2026-11-24T09:00:00.000Z'),
    });
  });
});
