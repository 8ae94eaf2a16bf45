import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { monotonicFactory } from 'ulid';
import { personalData } from '../application/personal-data.ts';
import { defaultRetryDelaysMs } from '../application/webhook-sender.ts';
import { kmsKeyVault } from '../aws/kms-key-vault.ts';
import { channelMedia, type MediaApis } from '../channels/channel-media.ts';
import { dynamoConversations } from '../dynamodb/conversations.ts';
import { dynamoDsarViews } from '../dynamodb/dsar-views.ts';
import { dynamoEventStore } from '../dynamodb/event-store.ts';
import { dynamoIdempotencyStore } from '../dynamodb/idempotency-store.ts';
import { dynamoRateCounter } from '../dynamodb/rate-counter.ts';
import { dynamoRetentionPolicyViews } from '../dynamodb/retention-policy-views.ts';
import { dynamoSearchIndex } from '../dynamodb/search-index.ts';
import { dynamoSimulationJobs } from '../dynamodb/simulation-jobs.ts';
import { dynamoSubjectKeys } from '../dynamodb/subject-keys.ts';
import { dynamoTenantLog } from '../dynamodb/tenant-log-store.ts';
import { dynamoTicketViews } from '../dynamodb/ticket-views.ts';
import { dynamoUploadRecords } from '../dynamodb/upload-records.ts';
import { dynamoWebhookDeliveries } from '../dynamodb/webhook-deliveries.ts';
import type { AttachmentFiles } from '../ports/attachments.ts';
import type { Deps } from '../ports/deps.ts';
import type { DigestStore } from '../ports/digest-store.ts';
import type { DsarBundleStore } from '../ports/dsar-bundles.ts';
import type { KeyVault } from '../ports/key-vault.ts';
import type { Scheduler } from '../ports/scheduler.ts';
import type { SearchIndex } from '../ports/search-index.ts';
import type { WebhookDeliveryStore, WebhookQueue } from '../ports/webhook-deliveries.ts';
import { type Config, configFromEnv } from './config.ts';
import { newMetrics } from './observability.ts';
import { type OutboundPolicy, postWebhook, refusalOf } from './webhooks/outbound.ts';

export interface Overrides {
  clock?: () => Date;
  logger?: Logger;
  /** Locally: metrics that are never printed (unpublishedMetrics). */
  metrics?: Metrics;
  /** Locally: fixed credentials, so DynamoDB Local keeps one database per region. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Locally: the key file; in AWS the vault is KMS, from the config's key ids. */
  keyVault?: KeyVault;
  /**
   * Locally: the in-process scheduler, a bundle folder and a digest folder. In AWS, only the
   * functions that use them pass Scheduler and S3 (schedulerFromConfig, dsarBundlesFromConfig,
   * digestsFromConfig): the others' bundles carry neither client.
   */
  scheduler?: Scheduler;
  dsarBundles?: DsarBundleStore;
  /** Locally the data folder; in AWS the functions that read or write files pass attachmentFilesFromConfig. */
  attachmentFiles?: AttachmentFiles;
  /** Tests: the providers' media APIs as recorded, served locally. */
  mediaApis?: MediaApis;
  digests?: DigestStore;
  /** Locally: the timer queue; in AWS, the functions that wake senders pass webhookQueueFromConfig. */
  webhookQueue?: WebhookQueue;
  /** Tests: short retry waits, and names that resolve as the test says. */
  webhookRetryDelaysMs?: readonly number[];
  outbound?: Partial<OutboundPolicy>;
  /** Tests and benchmarks: the engine's HTTP transport, to inject the throttling DynamoDB Local never answers. */
  dynamodbRequestHandler?: DynamoDBClientConfig['requestHandler'];
}

/** For functions that schedule nothing or keep no bundles: any use is a wiring bug. */
const unwired = (what: string) => () => Promise.reject(new Error(`${what} is not configured for this function`));

/** For functions without the webhooks table (WEBHOOKS_TABLE): any use is a wiring bug. */
const unwiredDeliveries = new Proxy({} as WebhookDeliveryStore, {
  // Not a promise: `then` stays undefined.
  get: (_, method) => (method === 'then' ? undefined : unwired(`the webhooks table (${String(method)})`)),
});

const unwiredSearch = new Proxy({} as SearchIndex, {
  get: (_, method) => (method === 'then' ? undefined : unwired(`the search table (${String(method)})`)),
});

const unwiredFiles = new Proxy({} as AttachmentFiles, {
  get: (_, method) => (method === 'then' ? undefined : unwired(`the attachment bucket (${String(method)})`)),
});

/** For functions that never touch personal data (the projector copies it sealed): any use is a wiring bug. */
const noKey = () => Promise.reject(new Error('no master key: set KMS_MASTER_KEY_ID and KMS_LOOKUP_KEY_ID'));
const noKeyVault: KeyVault = { generateDataKey: noKey, unwrapDataKey: noKey, lookupHash: noKey };

function keyVaultFor(config: Config, overrides: Overrides): KeyVault {
  if (overrides.keyVault) return overrides.keyVault;
  if (!config.masterKeyId || !config.lookupKeyId) return noKeyVault;
  const kms = new KMSClient({ region: config.region, credentials: overrides.credentials });
  return kmsKeyVault(kms, { masterKeyId: config.masterKeyId, lookupKeyId: config.lookupKeyId });
}

export function compose(config: Config, overrides: Overrides = {}): Deps {
  const logger = overrides.logger ?? new Logger({ serviceName: 'meridian', persistentKeys: { region: config.region } });
  const dynamodb = new DynamoDBClient({
    region: config.region,
    endpoint: config.dynamodbEndpoint,
    credentials: overrides.credentials,
    maxAttempts: 8,
    requestHandler: overrides.dynamodbRequestHandler,
  });
  const clock = overrides.clock ?? (() => new Date());
  // Ids carry the time of the clock the events record: lists by creation time read the id's time.
  const mintId = monotonicFactory();
  const newId = () => mintId(clock().getTime());
  const outbound: OutboundPolicy = { mode: config.outboundMode, ...overrides.outbound };
  const vault = keyVaultFor(config, overrides);
  const subjectKeys = dynamoSubjectKeys(dynamodb, config.subjectsTable, vault, { newId, now: clock });
  return {
    config,
    dynamodb,
    eventStore: dynamoEventStore(dynamodb, config.eventsTable),
    tenantLog: dynamoTenantLog(dynamodb, config.auditTable),
    ticketViews: dynamoTicketViews(dynamodb, config.viewsTable),
    dsarViews: dynamoDsarViews(dynamodb, config.viewsTable),
    retentionPolicies: dynamoRetentionPolicyViews(dynamodb, config.viewsTable),
    conversations: dynamoConversations(dynamodb, config.viewsTable),
    idempotency: dynamoIdempotencyStore(dynamodb, config.idempotencyTable),
    rateCounter: dynamoRateCounter(dynamodb, config.idempotencyTable),
    simulations: dynamoSimulationJobs(dynamodb, config.idempotencyTable),
    subjectKeys,
    personalData: personalData(subjectKeys),
    searchIndex: config.searchTable ? dynamoSearchIndex(dynamodb, config.searchTable, vault) : unwiredSearch,
    scheduler: overrides.scheduler ?? { scheduleOnce: unwired('the scheduler') },
    dsarBundles: overrides.dsarBundles ?? { put: unwired('the DSAR bundle bucket'), get: unwired('the DSAR bundle bucket') },
    attachments: {
      uploads: dynamoUploadRecords(dynamodb, config.idempotencyTable),
      files: overrides.attachmentFiles ?? unwiredFiles,
    },
    channelMedia: channelMedia(overrides.mediaApis),
    digests: overrides.digests ?? {
      put: unwired('the digest bucket'),
      latest: unwired('the digest bucket'),
      all: unwired('the digest bucket'),
    },
    webhooks: {
      deliveries: config.webhooksTable ? dynamoWebhookDeliveries(dynamodb, config.webhooksTable) : unwiredDeliveries,
      queue: overrides.webhookQueue ?? { wake: unwired('the webhook queue') },
      post: (url, message) => postWebhook(url, message, outbound),
      refusalOf: (url) => refusalOf(url, outbound),
      retryDelaysMs: overrides.webhookRetryDelaysMs ?? defaultRetryDelaysMs,
    },
    clock,
    newId,
    logger,
    metrics: overrides.metrics ?? newMetrics(config.region, logger),
  };
}

let fromEnv: Deps | undefined;
/** The Lambda side: one composition per execution environment, from the stack's environment. */
export const composeFromEnv = (adapters: (config: Config) => Overrides = () => ({})): Deps => {
  if (!fromEnv) {
    const config = configFromEnv();
    fromEnv = compose(config, adapters(config));
  }
  return fromEnv;
};
