import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { Ticket } from '../../domain/ticket/state.ts';
import type { TicketStatus } from '../../domain/ticket/vocabulary.ts';
import { ulidPattern } from '../../events/envelope.ts';
import { queueIndexes } from './tables.ts';

export interface QueueQuery {
  tenantId: string;
  status?: TicketStatus;
  team?: string;
  assignee?: string;
  /** A data subject's id. */
  requester?: string;
  limit: number;
  cursor?: string;
}
export interface QueuePage {
  items: Ticket[];
  nextCursor: string | null;
}

export class InvalidCursorError extends Error {}

export interface TicketViews {
  get(ticketId: string): Promise<Ticket | null>;
  /** Stores the view unless a view of the same (or, replacing, a later) version is there; says whether it wrote. */
  put(ticket: Ticket, options?: { replaceSameVersion?: boolean }): Promise<boolean>;
  queue(query: QueueQuery): Promise<QueuePage>;
}

const viewKey = (ticketId: string) => ({ pk: { S: `ticket#${ticketId}` } });

/** Which index a queue query starts from: the most selective filter given. The rest are filters. */
function plan(query: QueueQuery) {
  const t = query.tenantId;
  if (query.requester !== undefined) return { index: queueIndexes.requester, value: `${t}#${query.requester}` };
  if (query.assignee !== undefined) return { index: queueIndexes.assignee, value: `${t}#${query.assignee}` };
  if (query.team !== undefined) return { index: queueIndexes.team, value: `${t}#${query.team}` };
  if (query.status !== undefined) return { index: queueIndexes.status, value: `${t}#${query.status}` };
  return { index: queueIndexes.tenant, value: t };
}

const cursorSchema = z.object({ q: z.string(), k: z.record(z.string(), z.string()) });
const queryFingerprint = (q: QueueQuery) => JSON.stringify([q.tenantId, q.status, q.team, q.assignee, q.requester]);

export function encodeCursor(query: QueueQuery, key: Record<string, string>): string {
  return Buffer.from(JSON.stringify({ q: queryFingerprint(query), k: key })).toString('base64url');
}

function decodeCursor(query: QueueQuery, cursor: string, indexKey: string, value: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('the cursor is not one this API issued');
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) throw new InvalidCursorError('the cursor is not one this API issued');
  if (result.data.q !== queryFingerprint(query)) throw new InvalidCursorError('the cursor belongs to another query');
  const { ticketId = '' } = result.data.k;
  // The key is the client's to send back: it must be exactly a key of this query's index.
  const expected = JSON.stringify(keyOf(indexKey, value, ticketId));
  if (!ulidPattern.test(ticketId) || JSON.stringify(result.data.k) !== expected) {
    throw new InvalidCursorError('the cursor is not one this API issued');
  }
  return result.data.k;
}

export function dynamoTicketViews(client: DynamoDBClient, tableName: string): TicketViews {
  return {
    async get(ticketId) {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: viewKey(ticketId) }));
      return Item?.view?.S ? (JSON.parse(Item.view.S) as Ticket) : null;
    },

    async put(ticket, { replaceSameVersion = false } = {}) {
      const item: Record<string, AttributeValue> = {
        ...viewKey(ticket.id),
        ticketId: { S: ticket.id },
        tenantId: { S: ticket.tenantId },
        version: { N: String(ticket.version) },
        status: { S: ticket.status },
        view: { S: JSON.stringify(ticket) },
        [queueIndexes.tenant.partitionKey]: { S: ticket.tenantId },
        [queueIndexes.status.partitionKey]: { S: `${ticket.tenantId}#${ticket.status}` },
      };
      // Sparse indexes: an unassigned ticket is in no assignee's queue.
      if (ticket.team !== null) item[queueIndexes.team.partitionKey] = { S: `${ticket.tenantId}#${ticket.team}` };
      if (ticket.assignee !== null) {
        item[queueIndexes.assignee.partitionKey] = { S: `${ticket.tenantId}#${ticket.assignee}` };
      }
      if (ticket.requester.subjectId !== null) {
        item[queueIndexes.requester.partitionKey] = { S: `${ticket.tenantId}#${ticket.requester.subjectId}` };
      }
      if (ticket.team !== null) item.team = { S: ticket.team };
      if (ticket.assignee !== null) item.assignee = { S: ticket.assignee };
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: `attribute_not_exists(pk) OR version ${replaceSameVersion ? '<=' : '<'} :v`,
            ExpressionAttributeValues: { ':v': { N: String(ticket.version) } },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async queue(query) {
      const { index, value } = plan(query);
      const filters: string[] = [];
      const names: Record<string, string> = {};
      const values: Record<string, AttributeValue> = { ':key': { S: value } };
      const filterOn = (attribute: 'status' | 'team' | 'assignee', wanted: string | undefined) => {
        if (wanted === undefined || index.partitionKey === queueIndexes[attribute].partitionKey) return;
        filters.push(`#${attribute} = :${attribute}`);
        names[`#${attribute}`] = attribute;
        values[`:${attribute}`] = { S: wanted };
      };
      filterOn('status', query.status);
      filterOn('team', query.team);
      filterOn('assignee', query.assignee);

      const items: Ticket[] = [];
      let startKey: Record<string, AttributeValue> | undefined = query.cursor
        ? toAttributes(decodeCursor(query, query.cursor, index.partitionKey, value))
        : undefined;
      while (items.length < query.limit) {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: index.name,
            KeyConditionExpression: `${index.partitionKey} = :key`,
            FilterExpression: filters.length ? filters.join(' AND ') : undefined,
            ExpressionAttributeNames: filters.length ? names : undefined,
            ExpressionAttributeValues: values,
            ExclusiveStartKey: startKey,
            Limit: filters.length ? Math.max(query.limit, 50) : query.limit - items.length,
          }),
        );
        for (const item of page.Items ?? []) {
          if (items.length === query.limit) {
            // Stopped inside a page: the next page starts after the last item returned.
            const last = items[items.length - 1]!;
            return { items, nextCursor: encodeCursor(query, keyOf(index.partitionKey, value, last.id)) };
          }
          items.push(JSON.parse(item.view!.S!) as Ticket);
        }
        startKey = page.LastEvaluatedKey;
        if (!startKey) return { items, nextCursor: null };
      }
      return { items, nextCursor: encodeCursor(query, keyOf(index.partitionKey, value, items[items.length - 1]!.id)) };
    },
  };
}

const keyOf = (indexKey: string, value: string, ticketId: string) => ({
  pk: `ticket#${ticketId}`,
  ticketId,
  [indexKey]: value,
});
const toAttributes = (key: Record<string, string>) =>
  Object.fromEntries(Object.entries(key).map(([name, value]) => [name, { S: value }]));
