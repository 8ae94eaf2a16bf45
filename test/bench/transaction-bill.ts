import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { TableShape } from '../../functions/shared/dynamodb/tables.ts';

/**
 * What AWS bills for a TransactWriteItems: 2 WCU per KB of every item, rounded up per item, and
 * the same for each index entry a Put creates. DynamoDB Local reports one figure for the whole
 * transaction (2 units for three 600-byte items, where AWS bills 6), so the bench bills
 * transactions itself. Puts are taken as new to an index: none of Meridian's transactional puts
 * moves an item between index partitions. An Update or Delete is billed as one KB.
 */
export function transactionBill(items: TransactWriteItem[], shapeOf: (tableName: string) => TableShape | undefined): Map<string, number> {
  const bill = new Map<string, number>();
  const charge = (table: string, units: number) => bill.set(table, (bill.get(table) ?? 0) + units);
  for (const item of items) {
    const put = item.Put;
    const table = put?.TableName ?? item.Update?.TableName ?? item.Delete?.TableName ?? item.ConditionCheck?.TableName ?? '?';
    if (!put?.Item) {
      charge(table, 2);
      continue;
    }
    charge(table, transactionalUnits(itemBytes(put.Item)));
    const shape = shapeOf(table);
    for (const index of shape?.indexes ?? []) {
      if (!(index.partitionKey in put.Item) || !(index.sortKey in put.Item)) continue;
      charge(table, transactionalUnits(indexEntryBytes(put.Item, index, shape!)));
    }
  }
  return bill;
}

const transactionalUnits = (bytes: number) => 2 * Math.max(1, Math.ceil(bytes / 1024));

type Index = TableShape['indexes'][number];

function indexEntryBytes(item: Record<string, AttributeValue>, index: Index, shape: TableShape): number {
  const projection = index.projection ?? { type: 'ALL' };
  if (projection.type === 'ALL') return itemBytes(item);
  const kept = new Set([
    shape.partitionKey.name,
    shape.sortKey?.name,
    index.partitionKey,
    index.sortKey,
    ...(projection.type === 'INCLUDE' ? projection.attributes : []),
  ]);
  return itemBytes(Object.fromEntries(Object.entries(item).filter(([name]) => kept.has(name))));
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** DynamoDB's item size: each attribute's name plus its value, as the developer guide counts them. */
export function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueBytes(value), 0);
}

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberBytes(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.length, 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((sum, [name, v]) => sum + utf8(name) + valueBytes(v) + 1, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + valueBytes(v) + 1, 0);
  return 0;
}

/** About one byte per two significant digits, plus one. */
const numberBytes = (text: string) => Math.ceil(text.replace(/^-|\.|e.*$/gi, '').replace(/^0+|0+$/g, '').length / 2) + 1;
