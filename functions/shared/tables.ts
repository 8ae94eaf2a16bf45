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

/** Queue indexes: one per filter an agent's queue starts from; each sorted by ticket id (creation order). */
export const queueIndexes = {
  tenant: { name: 'queueByTenant', partitionKey: 'queueTenant', sortKey: 'ticketId' },
  status: { name: 'queueByStatus', partitionKey: 'queueStatus', sortKey: 'ticketId' },
  team: { name: 'queueByTeam', partitionKey: 'queueTeam', sortKey: 'ticketId' },
  assignee: { name: 'queueByAssignee', partitionKey: 'queueAssignee', sortKey: 'ticketId' },
  requester: { name: 'queueByRequester', partitionKey: 'queueRequester', sortKey: 'ticketId' },
} as const;

/** A tenant's data-subject requests, all or by status; each sorted by request id (filing order). */
export const dsarIndexes = {
  tenant: { name: 'dsarByTenant', partitionKey: 'dsarTenant', sortKey: 'dsarId' },
  status: { name: 'dsarByStatus', partitionKey: 'dsarStatus', sortKey: 'dsarId' },
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
 * The audit log of the region (events/region-log.ts): entries under `pk = "log"` sorted by `seq`,
 * the head under `pk = "head"`, and per stream the last version the log covers under
 * `pk = "stream#<streamId>"` (both at `seq = 0`). Each tenant's entries, in order, through an index.
 */
export const auditLogIndex = { name: 'logByTenant', partitionKey: 'tenantId', sortKey: 'seq', sortKeyType: 'N' } as const;
export const auditTable = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'seq', type: 'N' },
  indexes: [auditLogIndex],
  stream: false,
} as const satisfies TableShape;
