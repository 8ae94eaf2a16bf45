/**
 * The shape of each table, written once: the adapters read through these names, the CDK stack and
 * the local runtime create the tables from them.
 */
export interface TableShape {
  partitionKey: { name: string; type: 'S' | 'N' };
  sortKey?: { name: string; type: 'S' | 'N' };
  indexes: Array<{ name: string; partitionKey: string; sortKey: string; sortKeyType?: 'S' | 'N'; projection?: IndexProjection }>;
  stream: boolean;
  ttlAttribute?: string;
}

/**
 * What an index copies besides the keys; ALL when not given. An index entry is written only when an
 * attribute it holds changes, so a narrow projection spares a write on most view updates.
 */
export type IndexProjection = { type: 'ALL' } | { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: readonly string[] };

export const eventsTable = {
  partitionKey: { name: 'streamId', type: 'S' },
  sortKey: { name: 'version', type: 'N' },
  indexes: [],
  stream: true,
} as const satisfies TableShape;

/**
 * A list index holds the keys and the attributes its queries filter on, not the view: a page reads
 * the views from the table (views-table.ts), so a view update that moves no key and changes no
 * filtered attribute (a message, an SLA plan) writes the table item alone.
 */
const listedBy = (...attributes: string[]) => ({ type: 'INCLUDE', attributes }) as const satisfies IndexProjection;
const queueProjection = listedBy('status', 'team', 'assignee', 'closedAt', 'erasedAt');

/** Queue indexes: one per filter an agent's queue starts from; each sorted by ticket id (creation order). */
export const queueIndexes = {
  tenant: { name: 'queueByTenant', partitionKey: 'queueTenant', sortKey: 'ticketId', projection: queueProjection },
  status: { name: 'queueByStatus', partitionKey: 'queueStatus', sortKey: 'ticketId', projection: queueProjection },
  team: { name: 'queueByTeam', partitionKey: 'queueTeam', sortKey: 'ticketId', projection: queueProjection },
  assignee: { name: 'queueByAssignee', partitionKey: 'queueAssignee', sortKey: 'ticketId', projection: queueProjection },
  requester: { name: 'queueByRequester', partitionKey: 'queueRequester', sortKey: 'ticketId', projection: queueProjection },
} as const;

/** A tenant's data-subject requests, all or by status; each sorted by request id (filing order). */
export const dsarIndexes = {
  tenant: { name: 'dsarByTenant', partitionKey: 'dsarTenant', sortKey: 'dsarId', projection: listedBy('type') },
  status: { name: 'dsarByStatus', partitionKey: 'dsarStatus', sortKey: 'dsarId', projection: listedBy('type') },
} as const;

/** Sparse: the tenants whose retention policy erases closed tickets, for the daily retention job. */
export const retentionPolicyIndex = { name: 'retentionPoliciesInForce', partitionKey: 'retentionInForce', sortKey: 'tenantId' } as const;

export const viewsTable = {
  partitionKey: { name: 'pk', type: 'S' },
  indexes: [...Object.values(queueIndexes), ...Object.values(dsarIndexes), retentionPolicyIndex],
  stream: false,
} as const satisfies TableShape;

export const idempotencyTable = {
  partitionKey: { name: 'pk', type: 'S' },
  indexes: [],
  stream: false,
  ttlAttribute: 'expiresAt',
} as const satisfies TableShape;

/** The subject directory: contact lookups (by keyed hash) and each data subject's wrapped key. */
export const subjectsTable = {
  partitionKey: { name: 'pk', type: 'S' },
  indexes: [],
  stream: false,
} as const satisfies TableShape;

/**
 * The tenant logs of the region (events/tenant-log.ts; layout in dynamodb/tenant-log-store.ts):
 * each tenant's commits under `pk = "log#<tenantId>"` sorted by `seq`, the streams' cursors, the
 * list of tenants. No index: every read names its partition.
 */
export const auditTable = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'seq', type: 'N' },
  indexes: [],
  // Read by the webhook dispatcher: a commit item written is a tenant whose subscriptions have news.
  stream: true,
  // Only the notes of which tenants' logs moved in a span expire; log entries and cursors carry no expiresAt.
  ttlAttribute: 'expiresAt',
} as const satisfies TableShape;

/** Webhook senders' positions and delivery records (layout in dynamodb/webhook-deliveries.ts); records expire. */
export const webhooksTable = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  indexes: [],
  stream: false,
  ttlAttribute: 'expiresAt',
} as const satisfies TableShape;

/** The search index (layout in dynamodb/search-index.ts): keyed hashes of words and the tickets they are in. */
export const searchTable = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  indexes: [],
  stream: false,
} as const satisfies TableShape;

/** A region's tables, by the name the stack's grants and the configuration (`<name>Table`) use. */
export const regionTables = {
  events: eventsTable,
  views: viewsTable,
  idempotency: idempotencyTable,
  subjects: subjectsTable,
  audit: auditTable,
  webhooks: webhooksTable,
  search: searchTable,
} as const satisfies Record<string, TableShape>;
export type TableName = keyof typeof regionTables;
