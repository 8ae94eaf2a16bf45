import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { encodeTime } from 'ulid';
import { fieldMatches } from '../../../domain/ticket/fields.ts';
import type { Ticket } from '../../../domain/ticket/state.ts';
import type { QueuePage, QueueQuery, TicketViews } from '../ports/views.ts';
import { queueIndexes } from './tables.ts';
import { getView, getViews, putVersionedView, queryViewPage } from './views-table.ts';

/** The latest instant a ULID's 48-bit time can hold (in the year 10889). */
const lastUlidTime = 2 ** 48 - 1;
/** ULIDs hold no time before 1970: an instant outside their range stands at its nearest end. */
const ulidTime = (at: Date) => Math.min(Math.max(at.getTime(), 0), lastUlidTime);

/** The ULIDs minted between two instants, both included. */
const createdBetween = (from: Date, to: Date) => ({
  from: encodeTime(ulidTime(from), 10),
  to: `${encodeTime(ulidTime(to), 10)}${'Z'.repeat(16)}`,
});

const viewKey = (ticketId: string) => ({ pk: { S: `ticket#${ticketId}` } });

/** A view stored before a field existed reads with the value the field's first event would have set. */
// Keys keep their places (a view folded afresh must equal one kept up event by event).
const ticketAsNow = (view: Partial<Ticket>): Ticket =>
  ({
    ...view,
    mergedInto: view.mergedInto ?? null,
    mergedFrom: view.mergedFrom ?? [],
    links: view.links ?? [],
    fields: view.fields ?? {},
  }) as Ticket;
const pageAsNow = async (page: Promise<QueuePage>): Promise<QueuePage> => {
  const { items, nextCursor } = await page;
  return { items: items.map(ticketAsNow), nextCursor };
};

/** Which index a queue query starts from: the most selective filter given. The rest are filters. */
function plan(query: QueueQuery) {
  const t = query.tenantId;
  if (query.requester !== undefined) return { index: queueIndexes.requester, value: `${t}#${query.requester}` };
  if (query.assignee !== undefined) return { index: queueIndexes.assignee, value: `${t}#${query.assignee}` };
  if (query.team !== undefined) return { index: queueIndexes.team, value: `${t}#${query.team}` };
  if (query.status !== undefined) return { index: queueIndexes.status, value: `${t}#${query.status}` };
  return { index: queueIndexes.tenant, value: t };
}

export function dynamoTicketViews(client: DynamoDBClient, tableName: string): TicketViews {
  return {
    get: async (ticketId) => {
      const view = await getView<Ticket>(client, tableName, viewKey(ticketId).pk.S);
      return view && ticketAsNow(view);
    },
    async getMany(ticketIds) {
      const views = await getViews<Ticket>(
        client,
        tableName,
        ticketIds.map((id) => viewKey(id).pk.S),
      );
      return new Map([...views.values()].map((ticket) => [ticket.id, ticketAsNow(ticket)]));
    },

    async put(ticket, { replaceSameVersion = false } = {}) {
      const item: Record<string, AttributeValue> = {
        ...viewKey(ticket.id),
        ticketId: { S: ticket.id },
        tenantId: { S: ticket.tenantId },
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
      if (ticket.closedAt) item.closedAt = { S: ticket.closedAt };
      if (ticket.erasedAt !== null) item.erasedAt = { S: ticket.erasedAt };
      if (ticket.team !== null) item.team = { S: ticket.team };
      if (ticket.assignee !== null) item.assignee = { S: ticket.assignee };
      return putVersionedView(client, tableName, item, ticket.version, { replaceSameVersion });
    },

    async queue(query) {
      const { index, value } = plan(query);
      const filters = (['status', 'team', 'assignee'] as const)
        .filter((attribute) => query[attribute] !== undefined && index.partitionKey !== queueIndexes[attribute].partitionKey)
        .map((attribute) => ({ attribute, equals: query[attribute]! }));
      return pageAsNow(
        queryViewPage<Ticket>(client, tableName, {
          index,
          value,
          pkOf: (id) => viewKey(id).pk.S,
          idOf: (ticket) => ticket.id,
          filters,
          keep: query.fields?.length
            ? (ticket) => query.fields!.every(({ key, value }) => fieldMatches([value], ticket.fields?.[key]))
            : undefined,
          fingerprint: JSON.stringify([query.tenantId, query.status, query.team, query.assignee, query.requester, query.fields ?? []]),
          limit: query.limit,
          cursor: query.cursor,
        }),
      );
    },

    closedBy({ tenantId, closedBy, limit, cursor }) {
      return pageAsNow(
        queryViewPage<Ticket>(client, tableName, {
          index: queueIndexes.status,
          value: `${tenantId}#closed`,
          // A ticket is opened before it is closed: none created after the time can have closed by it.
          idRange: createdBetween(new Date(0), closedBy),
          pkOf: (id) => viewKey(id).pk.S,
          idOf: (ticket) => ticket.id,
          filters: [
            { attribute: 'closedAt', atMost: closedBy.toISOString() },
            { attribute: 'erasedAt', absent: true },
          ],
          fingerprint: JSON.stringify(['closed', tenantId]),
          limit,
          cursor,
        }),
      );
    },

    createdBetween({ tenantId, from, to, limit, cursor }) {
      return pageAsNow(
        queryViewPage<Ticket>(client, tableName, {
          index: queueIndexes.tenant,
          value: tenantId,
          idRange: createdBetween(from, to),
          pkOf: (id) => viewKey(id).pk.S,
          idOf: (ticket) => ticket.id,
          filters: [],
          fingerprint: JSON.stringify(['created', tenantId, from.toISOString(), to.toISOString()]),
          limit,
          cursor,
        }),
      );
    },
  };
}
