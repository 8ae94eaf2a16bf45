import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { auditTable, queueIndexes, type TableShape, viewsTable } from '../../functions/shared/dynamodb/tables.ts';
import { itemBytes, transactionBill } from './transaction-bill.ts';

const put = (TableName: string, Item: Record<string, AttributeValue>): TransactWriteItem => ({ Put: { TableName, Item } });
const shapes: Record<string, TableShape> = { audit: auditTable, views: viewsTable };
const bill = (items: TransactWriteItem[]) => Object.fromEntries(transactionBill(items, (name) => shapes[name]));

describe('what AWS bills for a transaction', () => {
  it('sizes an item as its names plus its values', () => {
    expect(itemBytes({ pk: { S: 'log' }, seq: { N: '12345' } })).toBe(2 + 3 + 3 + 4);
    expect(itemBytes({ name: { S: 'Zoë' } })).toBe(4 + 4);
  });

  it('charges 2 units per KB of each item, rounded up per item, not per transaction', () => {
    const item = (pk: string, bytes: number) => put('events', { pk: { S: pk }, v: { S: 'x'.repeat(bytes - 3 - pk.length) } });
    expect(bill([item('a', 600), item('b', 600), item('c', 600)])).toEqual({ events: 6 });
    expect(bill([item('a', 1024)])).toEqual({ events: 2 });
    expect(bill([item('a', 1025)])).toEqual({ events: 4 });
  });

  it('charges each index entry a put creates, sized by what the index projects', () => {
    // The audit table has no index: an item costs its own units only.
    const commit = { pk: { S: 'log#acme' }, seq: { N: '7' }, tenantId: { S: 'acme' }, entries: { S: '[]' } };
    expect(bill([put('audit', commit), put('audit', { pk: { S: 'stream#t' }, seq: { N: '0' } })])).toEqual({ audit: 2 + 2 });
    const view = {
      pk: { S: 'ticket#1' },
      ticketId: { S: '1' },
      queueTenant: { S: 'acme' },
      status: { S: 'new' },
      view: { S: 'x'.repeat(1500) },
    };
    // The view is 2 KB in the table; the queue index keeps keys and status, under 1 KB.
    expect(bill([put('views', view)])).toEqual({ views: 4 + 2 });
    expect(queueIndexes.tenant.projection.type).toBe('INCLUDE');
  });

  it('charges an update, delete or condition check as one KB', () => {
    expect(
      Object.fromEntries(
        transactionBill(
          [
            { Update: { TableName: 'subjects', Key: {}, UpdateExpression: 'SET a = :a' } },
            { ConditionCheck: { TableName: 'subjects', Key: {}, ConditionExpression: 'x' } },
          ],
          () => undefined,
        ),
      ),
    ).toEqual({ subjects: 4 });
  });
});
