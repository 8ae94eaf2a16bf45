import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { ulidPattern } from '../../../events/envelope.ts';
import { cursorContent, InvalidCursorError, maxViewsExamined, type Page, type PageQuery, type ViewFilter } from '../ports/views.ts';
import { batchGetAll } from './batch-get.ts';

const filterCondition = (filter: ViewFilter, i: number) =>
  'equals' in filter ? `#f${i} = :f${i}` : 'atMost' in filter ? `#f${i} <= :f${i}` : `attribute_not_exists(#f${i})`;

const cursorSchema = z.object({ q: z.string(), k: z.record(z.string(), z.string()) });

const keyOf = <T>(query: PageQuery<T>, id: string) => ({
  pk: query.pkOf(id),
  [query.index.sortKey]: id,
  [query.index.partitionKey]: query.value,
});

const encodeCursor = <T>(query: PageQuery<T>, id: string) =>
  Buffer.from(JSON.stringify({ q: query.fingerprint, k: keyOf(query, id) })).toString('base64url');

function decodeCursor<T>(query: PageQuery<T>, cursor: string): Record<string, AttributeValue> {
  const result = cursorSchema.safeParse(cursorContent(cursor));
  if (!result.success) throw new InvalidCursorError('the cursor is not one this API issued');
  if (result.data.q !== query.fingerprint) throw new InvalidCursorError('the cursor belongs to another query');
  const id = result.data.k[query.index.sortKey] ?? '';
  // The key is the client's to send back: it must be exactly a key of this query's index.
  if (!ulidPattern.test(id) || JSON.stringify(result.data.k) !== JSON.stringify(keyOf(query, id))) {
    throw new InvalidCursorError('the cursor is not one this API issued');
  }
  return Object.fromEntries(Object.entries(result.data.k).map(([name, value]) => [name, { S: value }]));
}

/**
 * One page of views from an index, in id (creation) order. Filters are applied by DynamoDB after
 * the key condition, so a page is filled from as many reads as it takes. The index holds keys and
 * filtered attributes only; the views are then read from the table, and one that has left the
 * query since the index was written (the index lags the table) is left out.
 */
export async function queryViewPage<T>(client: DynamoDBClient, tableName: string, query: PageQuery<T>): Promise<Page<T>> {
  const names = Object.fromEntries(query.filters.map((f, i) => [`#f${i}`, f.attribute]));
  const values: Record<string, AttributeValue> = { ':key': { S: query.value } };
  query.filters.forEach((f, i) => {
    if (!('absent' in f)) values[`:f${i}`] = { S: 'equals' in f ? f.equals : f.atMost };
  });
  const filterExpression = query.filters.map(filterCondition).join(' AND ') || undefined;
  if (query.idRange) {
    values[':from'] = { S: query.idRange.from };
    values[':to'] = { S: query.idRange.to };
  }
  const keyCondition = `${query.index.partitionKey} = :key${query.idRange ? ` AND ${query.index.sortKey} BETWEEN :from AND :to` : ''}`;

  const items: T[] = [];
  let lastSeen: string | undefined;
  let examined = 0;
  let startKey = query.cursor ? decodeCursor(query, query.cursor) : undefined;
  const filtered = filterExpression !== undefined || query.keep !== undefined;
  while (items.length < query.limit) {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: query.index.name,
        KeyConditionExpression: keyCondition,
        FilterExpression: filterExpression,
        ExpressionAttributeNames: filterExpression ? names : undefined,
        ExpressionAttributeValues: values,
        ExclusiveStartKey: startKey,
        Limit: filtered ? Math.max(query.limit, 50) : query.limit - items.length,
      }),
    );
    const listed = (page.Items ?? []).map((item) => item[query.index.sortKey]!.S!);
    for (let next = 0; next < listed.length; ) {
      // Stopped inside a page: the next page starts after the last id looked at.
      if (items.length === query.limit) return { items, nextCursor: encodeCursor(query, lastSeen!) };
      // A filter on the views themselves may pass over many: a page answers after so many, short, with a cursor.
      if (examined >= maxViewsExamined) return { items, nextCursor: encodeCursor(query, lastSeen!) };
      const ids = listed.slice(next, next + (query.keep ? 100 : query.limit - items.length));
      const views = await viewItems(client, tableName, ids.map(query.pkOf));
      for (const id of ids) {
        if (items.length === query.limit) break;
        const item = views.get(query.pkOf(id));
        const view = item && stillListed(item, query) ? (JSON.parse(item.view!.S!) as T) : null;
        if (view !== null && (!query.keep || query.keep(view))) items.push(view);
        lastSeen = id;
        examined += 1;
        next += 1;
      }
    }
    startKey = page.LastEvaluatedKey;
    if (!startKey) return { items, nextCursor: null };
  }
  return { items, nextCursor: encodeCursor(query, lastSeen!) };
}

/** Eventually consistent, as the index that listed them. */
async function viewItems(client: DynamoDBClient, tableName: string, pks: string[]) {
  const found = await batchGetAll(
    client,
    tableName,
    pks.map((pk) => ({ pk: { S: pk } })),
    { consistent: false },
  );
  return new Map(found.map((item) => [item.pk!.S!, item]));
}

/** The query's key and filters, checked again on the view as the table holds it now. */
export function stillListed<T>(item: Record<string, AttributeValue>, query: PageQuery<T>): boolean {
  if (item[query.index.partitionKey]?.S !== query.value) return false;
  return query.filters.every((filter) => {
    const value = item[filter.attribute]?.S;
    if ('absent' in filter) return item[filter.attribute] === undefined;
    if ('equals' in filter) return value === filter.equals;
    return value !== undefined && value <= filter.atMost;
  });
}

/**
 * Stores a view item unless one of the same (or, replacing, a later) version is there, so a
 * redelivered or reordered record never rolls a view back. Says whether it wrote.
 */
export async function putVersionedView(
  client: DynamoDBClient,
  tableName: string,
  item: Record<string, AttributeValue>,
  version: number,
  { replaceSameVersion = false } = {},
): Promise<boolean> {
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { ...item, version: { N: String(version) } },
        ConditionExpression: `attribute_not_exists(pk) OR version ${replaceSameVersion ? '<=' : '<'} :v`,
        ExpressionAttributeValues: { ':v': { N: String(version) } },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The views at `pks` by pk, absent ones left out: one BatchGetItem per 100, as consistent as getView. */
export async function getViews<T>(client: DynamoDBClient, tableName: string, pks: string[]): Promise<Map<string, T>> {
  const items = await viewItems(client, tableName, pks);
  return new Map([...items].filter(([, item]) => item.view?.S).map(([pk, item]) => [pk, JSON.parse(item.view!.S!) as T]));
}

export async function getView<T>(client: DynamoDBClient, tableName: string, pk: string): Promise<T | null> {
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk } } }));
  return Item?.view?.S ? (JSON.parse(Item.view.S) as T) : null;
}
