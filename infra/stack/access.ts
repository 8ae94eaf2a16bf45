import type { ApiFunctionName } from '../../functions/api/routes.ts';
import type { TableName } from '../../functions/shared/dynamodb/tables.ts';

export type { TableName };
export type KeyName = 'master' | 'lookup';
/**
 * Exactly these actions on one table (and its indexes) or one key: what a grant names, no wildcards
 * in actions. `items` narrows a table grant to items whose partition key matches one of its
 * patterns (IAM's dynamodb:LeadingKeys).
 */
export type Access = { table: TableName; actions: string[]; items?: string[] } | { key: KeyName; actions: string[] };

// Opening sealed personal data: read the subject's wrapped key, unwrap it with the master key.
const openPersonalData: Access[] = [
  { table: 'subjects', actions: ['dynamodb:GetItem'] },
  { key: 'master', actions: ['kms:Decrypt'] },
];
// TransactWriteItems is authorised per item: PutItem for each event and the idempotency claim.
const appendEvents: Access[] = [
  { table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem'] },
  { table: 'idempotency', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
  ...openPersonalData,
];

// Opening a ticket counts it on the requester's key item (subject-keys.ts, countTicket).
const countTickets: Access = { table: 'subjects', actions: ['dynamodb:UpdateItem'] };

/** Uploads live in the idempotency table (dynamodb/upload-records.ts): made, read, claimed. The files are in S3 (stack/attachments.ts). */
const keepUploads: Access = {
  table: 'idempotency',
  actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  items: ['upload#*'],
};

const receiveMessages: Access[] = [
  ...appendEvents,
  { table: 'views', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
  { table: 'subjects', actions: ['dynamodb:PutItem'] },
  countTickets,
  { key: 'master', actions: ['kms:GenerateDataKey'] },
  { key: 'lookup', actions: ['kms:GenerateMac'] },
];

// A list page: the index for the ids, then one BatchGetItem for the views (the indexes do not hold them).
const listViews: Access = { table: 'views', actions: ['dynamodb:Query', 'dynamodb:BatchGetItem'] };

// Every read an auditor makes is appended as an AuditorRead event before it is answered.
const recordAuditorReads: Access = { table: 'events', actions: ['dynamodb:PutItem'] };

/** "What if" jobs and their results (dynamodb/simulation-jobs.ts), in the idempotency table. */
const keepSimulations: Access = { table: 'idempotency', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], items: ['simulation#*'] };

/** The rate limit counters (in the idempotency table, dynamodb/rate-counter.ts): one UpdateItem per request. */
export const countRequests: Access = { table: 'idempotency', actions: ['dynamodb:UpdateItem'], items: ['rate:*'] };

// A subscription's position and lease (Get, Update, Delete) and its delivery records (Query, Put, BatchWrite).
const keepDeliveries: Access = {
  table: 'webhooks',
  actions: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
    'dynamodb:PutItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:DeleteItem',
  ],
};

/** What each API function may do, action by action: nothing more than its handler calls. */
export const apiAccess: Record<ApiFunctionName, Access[]> = {
  health: [],
  openapi: [],
  'create-ticket': [
    ...appendEvents,
    // PutItem for a new subject; UpdateItem to link their phone.
    { table: 'subjects', actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'] },
    keepUploads,
    { key: 'master', actions: ['kms:GenerateDataKey'] },
    { key: 'lookup', actions: ['kms:GenerateMac'] },
  ],
  // Claiming uploads opens their file names' keys (openPersonalData), then the message is appended.
  'add-message': [...appendEvents, keepUploads],
  // An upload gets a data key of its own (for its name); reading a file reads its ticket's stream.
  attachments: [
    keepUploads,
    { table: 'subjects', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
    { key: 'master', actions: ['kms:GenerateDataKey', 'kms:Decrypt'] },
    { table: 'events', actions: ['dynamodb:Query'] },
  ],
  'patch-ticket': appendEvents,
  'rate-ticket': appendEvents,
  'ticket-relations': appendEvents,
  // The query's words hashed under the tenant's search key, the index read, then the views; opened for the roles that may.
  search: [
    { key: 'lookup', actions: ['kms:GenerateMac'] },
    { table: 'search', actions: ['dynamodb:Query', 'dynamodb:BatchGetItem'] },
    listViews,
    ...openPersonalData,
    recordAuditorReads,
  ],
  // The support setup (events Query) when grouping by a custom field.
  metrics: [listViews, { table: 'events', actions: ['dynamodb:Query'] }, recordAuditorReads],
  'get-ticket': [{ table: 'events', actions: ['dynamodb:Query'] }, ...openPersonalData, recordAuditorReads],
  'ticket-events': [{ table: 'events', actions: ['dynamodb:Query'] }, ...openPersonalData, recordAuditorReads],
  'ticket-messages': [{ table: 'events', actions: ['dynamodb:Query'] }, ...openPersonalData, recordAuditorReads],
  // The support setup (events Query) when filtering on custom fields.
  'list-tickets': [
    listViews,
    { table: 'events', actions: ['dynamodb:Query'] },
    ...openPersonalData,
    { key: 'lookup', actions: ['kms:GenerateMac'] },
    recordAuditorReads,
  ],
  'audit-ticket': [{ table: 'events', actions: ['dynamodb:Query'] }, ...openPersonalData, recordAuditorReads],
  // Query: the tenant's log; BatchGetItem: the event. The digests are read from S3 (stack/audit.ts).
  'audit-proof': [
    { table: 'audit', actions: ['dynamodb:Query'] },
    { table: 'events', actions: ['dynamodb:BatchGetItem'] },
    recordAuditorReads,
  ],
  // The tenant's log, then its ticket and request events (read as stored: nothing is opened).
  changes: [
    { table: 'audit', actions: ['dynamodb:Query'] },
    { table: 'events', actions: ['dynamodb:BatchGetItem'] },
  ],
  'audit-events': [
    { table: 'audit', actions: ['dynamodb:Query'] },
    { table: 'events', actions: ['dynamodb:BatchGetItem'] },
    recordAuditorReads,
  ],
  // The request's notes and corrections get a data key of their own; the subject is found by keyed hash.
  'create-dsar': [
    ...appendEvents,
    { table: 'subjects', actions: ['dynamodb:PutItem'] },
    { key: 'master', actions: ['kms:GenerateDataKey'] },
    { key: 'lookup', actions: ['kms:GenerateMac'] },
  ],
  'get-dsar': [{ table: 'events', actions: ['dynamodb:Query'] }, ...openPersonalData],
  'list-dsars': [listViews, ...openPersonalData],
  'dsar-export': [{ table: 'events', actions: ['dynamodb:Query'] }, ...openPersonalData],
  // The request's, subject's and tickets' streams as stored (nothing is opened), the subject's tickets from the
  // views, the tenant's log and the proven events; the digests are read from S3 (stack/audit.ts).
  'dsar-receipt': [
    { table: 'events', actions: ['dynamodb:Query', 'dynamodb:BatchGetItem'] },
    listViews,
    { table: 'audit', actions: ['dynamodb:Query'] },
  ],
  'get-retention-policy': [{ table: 'events', actions: ['dynamodb:Query'] }],
  'put-retention-policy': appendEvents,
  'retention-dry-run': [listViews, { table: 'events', actions: ['dynamodb:Query'] }],
  // Connecting a channel seals its secrets with the tenant's channel key, created on first use.
  'support-setup': [
    { table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem'] },
    recordAuditorReads,
    { table: 'subjects', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
    { key: 'master', actions: ['kms:GenerateDataKey', 'kms:Decrypt'] },
    // Simulations read the window's tickets (views by creation time, then their streams) and keep jobs.
    listViews,
    keepSimulations,
  ],
  requester: [listViews, ...openPersonalData, recordAuditorReads],
  'link-contact': [
    { table: 'subjects', actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
    { key: 'lookup', actions: ['kms:GenerateMac'] },
  ],
  // Subscriptions on the tenant's webhooks stream, secrets sealed with its secrets key; deliveries, retries
  // and replays read the tenant's log and its events, and the senders' positions and records.
  webhooks: [
    { table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchGetItem'] },
    { table: 'subjects', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
    { key: 'master', actions: ['kms:GenerateDataKey', 'kms:Decrypt'] },
    { table: 'audit', actions: ['dynamodb:Query'] },
    keepDeliveries,
  ],
  // Webhooks and imports: a requester found or created by contact, the conversation pointer, the ticket written.
  // Files that came with a message are stored and recorded like uploads (the bucket: stack/attachments.ts).
  intake: [...receiveMessages, keepUploads],
  'import-app-reviews': receiveMessages,
};

/**
 * What every other function may do on tables and keys (S3, Scheduler and the bus are granted
 * beside the resource, in its part of the stack). The publisher has no entry: it gets no table and
 * no key, so it cannot read personal data even if it wanted to.
 */
export const functionAccess = {
  Projector: [
    { table: 'events', actions: ['dynamodb:Query'] },
    // BatchGetItem: a batch's ticket views in one read; GetItem: any other view, or each on its own.
    { table: 'views', actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'] },
  ],
  Sequencer: [
    { table: 'events', actions: ['dynamodb:Query'] },
    // Query: a tenant's last commit (its head); BatchGetItem: the streams' cursors; PutItem: a commit, the tenant list.
    { table: 'audit', actions: ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'] },
    // A stream's cursor is moved forward in place; nothing else in the log may be updated.
    { table: 'audit', actions: ['dynamodb:UpdateItem'], items: ['stream#*'] },
  ],
  // Query: the tenant list, and each tenant's last commit (its head).
  DigestWriter: [{ table: 'audit', actions: ['dynamodb:Query'] }],
  /** Fulfilment: reads the subject's tickets, appends to them, links a corrected email, destroys keys. */
  DsarFulfilment: [
    { table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem'] },
    listViews,
    { table: 'subjects', actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] },
    { key: 'master', actions: ['kms:Decrypt'] },
    { key: 'lookup', actions: ['kms:GenerateMac'] },
  ],
  DsarDeadlines: [{ table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem'] }],
  /** Retention: finds due tickets in the views, decides on each ticket's stream, destroys the ticket's key. */
  Retention: [
    { table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem'] },
    listViews,
    { table: 'subjects', actions: ['dynamodb:GetItem', 'dynamodb:DeleteItem'] },
    { key: 'master', actions: ['kms:Decrypt'] },
  ],
  // The tenant's subscriptions (its webhooks stream), to wake each one's sender.
  WebhookDispatcher: [{ table: 'events', actions: ['dynamodb:Query'] }],
  // Reads a ticket's stream and opens it, derives the tenant's search key (GenerateMac), and keeps its entries.
  SearchIndexer: [
    { table: 'events', actions: ['dynamodb:Query'] },
    ...openPersonalData,
    { key: 'lookup', actions: ['kms:GenerateMac'] },
    { table: 'search', actions: ['dynamodb:GetItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'] },
  ],
  // Reads the subscriptions, the log and its events, opens the signing secrets, keeps positions and records,
  // and appends WebhookPaused when retries run out.
  WebhookSender: [
    { table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchGetItem'] },
    { table: 'audit', actions: ['dynamodb:Query'] },
    ...openPersonalData,
    keepDeliveries,
  ],
  // A breach appends to the ticket; timers carry no Idempotency-Key.
  // SLA and automation timers, and the sweep that plans a tenant's open tickets again (it lists them).
  SlaChecker: [
    ...appendEvents.filter((access) => !('table' in access && access.table === 'idempotency')),
    // The automation sweep and simulation jobs read tickets by time; a job keeps its result.
    listViews,
    keepSimulations,
  ],
} satisfies Record<string, Access[]>;
