import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { Logger } from '@aws-lambda-powertools/logger';
import { monotonicFactory } from 'ulid';
import { type Config, configFromEnv } from './config.ts';
import { dynamoRegionLog, type RegionLogStore } from './audit/region-log-store.ts';
import { dynamoEventStore, type EventStore } from './event-store.ts';
import { dynamoIdempotencyStore, type IdempotencyStore } from './idempotency-store.ts';
import type { KeyVault } from './personal-data/key-vault.ts';
import { kmsKeyVault } from './personal-data/kms-key-vault.ts';
import { type PersonalData, personalData } from './personal-data/personal-data.ts';
import { dynamoSubjectKeys, type SubjectKeys } from './personal-data/subject-keys.ts';
import { dynamoTicketViews, type TicketViews } from './ticket-views.ts';
import { type DsarViews, dynamoDsarViews } from './dsar-views.ts';
import { dynamoRetentionPolicyViews, type RetentionPolicyViews } from './retention-policies.ts';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { type DsarBundleStore, s3DsarBundles } from './dsar-bundles.ts';
import { eventBridgeScheduler, type Scheduler } from './scheduler.ts';

/** Everything a handler needs from the outside world, built in this one place. */
export interface Deps {
  config: Config;
  dynamodb: DynamoDBClient;
  eventStore: EventStore;
  regionLog: RegionLogStore;
  ticketViews: TicketViews;
  dsarViews: DsarViews;
  retentionPolicies: RetentionPolicyViews;
  idempotency: IdempotencyStore;
  subjectKeys: SubjectKeys;
  personalData: PersonalData;
  scheduler: Scheduler;
  dsarBundles: DsarBundleStore;
  clock: () => Date;
  newId: () => string;
  logger: Logger;
}

export interface Overrides {
  clock?: () => Date;
  logger?: Logger;
  /** Locally: fixed credentials, so DynamoDB Local keeps one database per region. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Locally: the key file; in AWS the vault is KMS, from the config's key ids. */
  keyVault?: KeyVault;
  /** Locally: the in-process scheduler and a bundle folder; in AWS, Scheduler and S3 from the config. */
  scheduler?: Scheduler;
  dsarBundles?: DsarBundleStore;
}

/** For functions that schedule nothing or keep no bundles: any use is a wiring bug. */
const unwired = (what: string) => () => Promise.reject(new Error(`${what} is not configured for this function`));

function schedulerFor(config: Config, overrides: Overrides): Scheduler {
  if (overrides.scheduler) return overrides.scheduler;
  const { scheduleGroup, schedulerRoleArn, scheduleDeadLetterArn, dsarDeadlinesFunctionArn, slaCheckerFunctionArn } = config;
  if (!scheduleGroup || !schedulerRoleArn || !scheduleDeadLetterArn) return { scheduleOnce: unwired('the scheduler') };
  return eventBridgeScheduler(new SchedulerClient({ region: config.region }), {
    groupName: scheduleGroup,
    roleArn: schedulerRoleArn,
    deadLetterArn: scheduleDeadLetterArn,
    functions: { 'dsar-deadlines': dsarDeadlinesFunctionArn, 'sla-checker': slaCheckerFunctionArn },
  });
}

function dsarBundlesFor(config: Config, overrides: Overrides): DsarBundleStore {
  if (overrides.dsarBundles) return overrides.dsarBundles;
  if (!config.bundleBucket) return { put: unwired('the DSAR bundle bucket'), get: unwired('the DSAR bundle bucket') };
  return s3DsarBundles(new S3Client({ region: config.region }), config.bundleBucket);
}

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
  const dynamodb = new DynamoDBClient({
    region: config.region,
    endpoint: config.dynamodbEndpoint,
    credentials: overrides.credentials,
    maxAttempts: 8,
  });
  const clock = overrides.clock ?? (() => new Date());
  const newId = monotonicFactory();
  const subjectKeys = dynamoSubjectKeys(dynamodb, config.subjectsTable, keyVaultFor(config, overrides), { newId, now: clock });
  return {
    config,
    dynamodb,
    eventStore: dynamoEventStore(dynamodb, config.eventsTable),
    regionLog: dynamoRegionLog(dynamodb, config.auditTable),
    ticketViews: dynamoTicketViews(dynamodb, config.viewsTable),
    dsarViews: dynamoDsarViews(dynamodb, config.viewsTable),
    retentionPolicies: dynamoRetentionPolicyViews(dynamodb, config.viewsTable),
    idempotency: dynamoIdempotencyStore(dynamodb, config.idempotencyTable),
    subjectKeys,
    personalData: personalData(subjectKeys),
    scheduler: schedulerFor(config, overrides),
    dsarBundles: dsarBundlesFor(config, overrides),
    clock,
    newId,
    logger: overrides.logger ?? new Logger({ serviceName: 'meridian', persistentKeys: { region: config.region } }),
  };
}

let fromEnv: Deps | undefined;
/** The Lambda side: one composition per execution environment, from the stack's environment. */
export const composeFromEnv = (): Deps => (fromEnv ??= compose(configFromEnv()));
