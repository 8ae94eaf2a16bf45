import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../platform/config.ts';
import type { AttachmentFiles, UploadRecords } from './attachments.ts';
import type { ChannelMedia } from './channel-media.ts';
import type { DigestStore } from './digest-store.ts';
import type { DsarBundleStore } from './dsar-bundles.ts';
import type { EventStore } from './event-store.ts';
import type { IdempotencyStore } from './idempotency-store.ts';
import type { PersonalData } from './personal-data.ts';
import type { RateCounter } from './rate-counter.ts';
import type { Scheduler } from './scheduler.ts';
import type { SearchIndex } from './search-index.ts';
import type { SimulationJobs } from './simulation-jobs.ts';
import type { SubjectKeys } from './subject-keys.ts';
import type { TenantLogStore } from './tenant-log-store.ts';
import type { Conversations, DsarViews, RetentionPolicyViews, TicketViews } from './views.ts';
import type { WebhookDelivery } from './webhook-deliveries.ts';

/** Everything a handler needs from the outside world: the ports, as platform/composition.ts builds them. */
export interface Deps {
  config: Config;
  dynamodb: DynamoDBClient;
  eventStore: EventStore;
  tenantLog: TenantLogStore;
  ticketViews: TicketViews;
  dsarViews: DsarViews;
  retentionPolicies: RetentionPolicyViews;
  conversations: Conversations;
  idempotency: IdempotencyStore;
  /** The API's per-tenant and per-token request counts. */
  rateCounter: RateCounter;
  subjectKeys: SubjectKeys;
  personalData: PersonalData;
  /** Keyed hashes of the tickets' words: the search indexer writes it, GET /v1/search reads it. */
  searchIndex: SearchIndex;
  scheduler: Scheduler;
  dsarBundles: DsarBundleStore;
  /** "What if" jobs and their results, kept a week. */
  simulations: SimulationJobs;
  /** Uploads (one-time tokens) and the files attached to messages. */
  attachments: { uploads: UploadRecords; files: AttachmentFiles };
  /** The providers' media APIs, for the files inbound messages name. */
  channelMedia: ChannelMedia;
  /** The region's heads digests (read by proofs; written by the digest writer). */
  digests: DigestStore;
  /** Webhook senders: their state, their wake-ups, the outbound call and the retry waits. */
  webhooks: WebhookDelivery;
  clock: () => Date;
  newId: () => string;
  logger: Logger;
  metrics: Metrics;
}
