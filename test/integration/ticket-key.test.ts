import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ticketStreamId } from '../../events/envelope.ts';
import { WriteContention } from '../../functions/shared/application/commands.ts';
import { commitTicket, loadTicket } from '../../functions/shared/application/ticket-commands.ts';
import { testDeps } from '../support/deps.ts';
import { agentContext, opening as openingOf } from '../support/ticket-commands.ts';

const context = agentContext;
const opening = (ticketId: string, subjectId: string) => openingOf(ticketId, subjectId, { description: 'It never came' });

describe("a new ticket's own data key", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  let subjectId: string;
  const keyItem = (ticketId: string) =>
    deps.dynamodb.send(
      new GetItemCommand({ TableName: deps.config.subjectsTable, Key: { pk: { S: `subject#acme#${ticketId}` } }, ConsistentRead: true }),
    );
  /** The writes `open` sends, with the tables each names. */
  const writesOf = async (open: () => Promise<unknown>) => {
    const writes: Array<{ command: string; tables: string[] }> = [];
    deps.dynamodb.middlewareStack.add(
      (next, { commandName }) =>
        (args) => {
          const input = args.input as { TableName?: string; TransactItems?: Array<Record<string, { TableName: string }>> };
          if (commandName !== 'GetItemCommand' && commandName !== 'QueryCommand') {
            writes.push({
              command: commandName!,
              tables: input.TransactItems?.map((item) => Object.values(item)[0]!.TableName) ?? [input.TableName!],
            });
          }
          return next(args);
        },
      { step: 'initialize', name: 'countWrites' },
    );
    try {
      await open();
    } finally {
      deps.dynamodb.middlewareStack.remove('countWrites');
    }
    return writes;
  };
  const keyed = (ticketId: string) => ({
    ticketId,
    commands: [opening(ticketId, subjectId)],
    context,
    idempotency: { key: `key-${ticketId}`, requestHash: 'h' },
  });
  beforeAll(async () => {
    deps = await testDeps();
    subjectId = await deps.subjectKeys.resolve('acme', { kind: 'email', value: 'r@example.com' });
  });

  it('is stored in the same transaction as an opening that is a transaction anyway: one write for all', async () => {
    const ticketId = deps.newId();
    const writes = await writesOf(() => commitTicket(deps, keyed(ticketId)));
    expect(writes).toEqual([
      {
        command: 'TransactWriteItemsCommand',
        tables: [deps.config.eventsTable, deps.config.subjectsTable, deps.config.idempotencyTable],
      },
      // The requester's count of opened tickets, which requests about them wait for the views to show.
      { command: 'UpdateItemCommand', tables: [deps.config.subjectsTable] },
    ]);
    expect((await keyItem(ticketId)).Item?.wrappedKey?.B).toBeDefined();
    const { ticket } = await loadTicket(deps, ticketId, 'acme', { open: true });
    expect(ticket.description).toBe('It never came');
  });

  it('is not stored when a transactional opening is not', async () => {
    const ticketId = deps.newId();
    // Another writer holds the stream's first version: every attempt loses the race.
    await deps.dynamodb.send(
      new PutItemCommand({
        TableName: deps.config.eventsTable,
        Item: { streamId: { S: ticketStreamId(ticketId) }, version: { N: '1' }, eventId: { S: 'someone-else' } },
      }),
    );
    const twoAttempts = { ...deps, config: { ...deps.config, maxWriteAttempts: 2 } };
    await expect(commitTicket(twoAttempts, keyed(ticketId))).rejects.toBeInstanceOf(WriteContention);
    expect((await keyItem(ticketId)).Item).toBeUndefined();
  });

  it('is put first when the opening is a lone event: two conditional puts, no transaction', async () => {
    const ticketId = deps.newId();
    const writes = await writesOf(() => commitTicket(deps, { ticketId, commands: [opening(ticketId, subjectId)], context }));
    expect(writes).toEqual([
      { command: 'PutItemCommand', tables: [deps.config.subjectsTable] },
      { command: 'PutItemCommand', tables: [deps.config.eventsTable] },
      { command: 'UpdateItemCommand', tables: [deps.config.subjectsTable] },
    ]);
    const { ticket } = await loadTicket(deps, ticketId, 'acme', { open: true });
    expect(ticket.description).toBe('It never came');
  });
});
