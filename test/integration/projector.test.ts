import { DeleteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TicketCommand } from '../../domain/ticket/commands.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { projector } from '../../functions/projector/projector.ts';
import { rebuildViews } from '../../functions/projector/rebuild.ts';
import { commitTicket, loadTicket } from '../../functions/shared/application/ticket-commands.ts';
import { eventToItem } from '../../functions/shared/dynamodb/event-store.ts';
import { localCredentials } from '../../infra/local/engine.ts';
import { StreamPoller } from '../../infra/local/stream-poller.ts';
import { testDeps } from '../support/deps.ts';
import { eventually } from '../support/runtime.ts';
import { agentContext, opening } from '../support/ticket-commands.ts';

const context = agentContext;

let sequence = 0;
const record = (event: StoredEvent): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { NewImage: eventToItem(event) as never, SequenceNumber: String(++sequence).padStart(21, '0') },
});

describe('ticket projector', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  const write = (ticketId: string, ...commands: TicketCommand[]) => commitTicket(deps, { ticketId, commands, context });
  const newTicket = async (...more: TicketCommand[]) => {
    const ticketId = deps.newId();
    const subjectId = await deps.subjectKeys.resolve('acme', { kind: 'email', value: 'r@example.com' });
    await write(ticketId, opening(ticketId, subjectId));
    for (const command of more) await write(ticketId, command);
    // As the projector sees it: personal data sealed.
    return { ticketId, ...(await loadTicket(deps, ticketId, 'acme', { open: false })) };
  };

  beforeAll(async () => {
    deps = await testDeps();
  });

  it('follows the real DynamoDB stream of the events table', async () => {
    const poller = new StreamPoller({
      client: new DynamoDBStreamsClient({ region: 'eu-central-1', endpoint: inject('dynamodbEndpoint'), credentials: localCredentials }),
      streamArn: deps.streamArn,
      region: 'eu-central-1',
      handler: projector(deps),
    });
    poller.start();
    try {
      const { ticketId, ticket } = await newTicket(
        { type: 'Assign', assignee: 'agent-1', team: 'dubai' },
        { type: 'ChangePriority', to: 'urgent' },
      );
      expect(
        await eventually(
          () => deps.ticketViews.get(ticketId),
          (view) => view?.version === 4,
        ),
      ).toEqual(ticket);
    } finally {
      await poller.stop();
    }
  });

  it('changes nothing on a redelivered or older record', async () => {
    const { ticketId, ticket, events } = await newTicket({ type: 'ChangePriority', to: 'high' }, { type: 'SetTags', tags: ['vip'] });
    const handle = projector(deps);
    await handle({ Records: events.map(record) });
    expect(await deps.ticketViews.get(ticketId)).toEqual(ticket);
    await handle({ Records: [record(events[1]!), record(events[0]!), record(events[1]!)] });
    await handle({ Records: events.map(record) });
    expect(await deps.ticketViews.get(ticketId)).toEqual(ticket);
  });

  it('fills a gap from the event store', async () => {
    const { ticketId, ticket, events } = await newTicket({ type: 'ChangePriority', to: 'low' }, { type: 'SetTags', tags: ['a'] });
    const handle = projector(deps);
    await handle({ Records: [record(events[0]!)] });
    await handle({ Records: [record(events[2]!)] });
    expect(await deps.ticketViews.get(ticketId)).toEqual(ticket);
  });

  it("reports the first record of a stream it could not project, and only that stream's", async () => {
    const good = await newTicket();
    const bad = await newTicket();
    const failing = {
      ...deps,
      ticketViews: {
        ...deps.ticketViews,
        put: async (view: Parameters<typeof deps.ticketViews.put>[0]) => {
          if (view.id === bad.ticketId) throw new Error('throttled');
          return deps.ticketViews.put(view);
        },
      },
    };
    const badRecord = record(bad.events[0]!);
    const result = await projector(failing)({ Records: [record(good.events[0]!), badRecord] });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: badRecord.dynamodb!.SequenceNumber }]);
    expect(await deps.ticketViews.get(good.ticketId)).toEqual(good.ticket);
    expect(await deps.ticketViews.get(bad.ticketId)).toBeNull();
  });

  it("reads a batch's ticket views together, and each on its own if that read fails", async () => {
    const tickets = await Promise.all([newTicket(), newTicket(), newTicket()]);
    await projector(deps)({ Records: tickets.map((t) => record(t.events[0]!)) });
    const next = await Promise.all(
      tickets.map(async (t) => {
        await write(t.ticketId, { type: 'ChangePriority', to: 'high' });
        return loadTicket(deps, t.ticketId, 'acme', { open: false });
      }),
    );
    const reads: string[] = [];
    deps.dynamodb.middlewareStack.add(
      (run, { commandName }) =>
        async (args) => {
          if (commandName === 'GetItemCommand' || commandName === 'BatchGetItemCommand') reads.push(commandName);
          return run(args);
        },
      { step: 'initialize', name: 'countViewReads' },
    );
    try {
      await projector(deps)({ Records: next.map((t) => record(t.events[1]!)) });
      expect(reads).toEqual(['BatchGetItemCommand']);
      expect(await Promise.all(tickets.map((t) => deps.ticketViews.get(t.ticketId)))).toEqual(next.map((t) => t.ticket));

      reads.length = 0;
      const unreadable = { ...deps, ticketViews: { ...deps.ticketViews, getMany: () => Promise.reject(new Error('throttled')) } };
      await projector(unreadable)({ Records: next.map((t) => record(t.events[1]!)) });
      expect(reads).toEqual(['GetItemCommand', 'GetItemCommand', 'GetItemCommand']);
    } finally {
      deps.dynamodb.middlewareStack.remove('countViewReads');
    }
  });

  it('rebuilds every view from the events table alone', async () => {
    const tickets = await Promise.all([
      newTicket(),
      newTicket({ type: 'SetTags', tags: ['x'] }),
      newTicket({ type: 'Assign', team: 'london' }),
    ]);
    const { Items = [] } = await deps.dynamodb.send(new ScanCommand({ TableName: deps.config.viewsTable }));
    for (const item of Items) {
      await deps.dynamodb.send(new DeleteItemCommand({ TableName: deps.config.viewsTable, Key: { pk: item.pk! } }));
    }
    const rebuilt = await rebuildViews(deps);
    expect(rebuilt).toBeGreaterThanOrEqual(tickets.length);
    for (const { ticketId, ticket } of tickets) expect(await deps.ticketViews.get(ticketId)).toEqual(ticket);
  });

  afterAll(() => deps.dynamodb.destroy());
});
