import * as z from 'zod';
import { homeRegions } from '../../../domain/residency.ts';

const regionName = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1');
const tableName = z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'must be a DynamoDB table name');

const homeRegion = z.enum(homeRegions);
const residencyPolicy = z.strictObject({
  region: homeRegion.optional(),
  countries: z.record(z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code'), homeRegion).optional(),
});
/** JSON text in the environment, checked against `schema`. */
const jsonText = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

const perMinute = z.number().int().min(1).max(10_000_000);
/** Requests per minute: per tenant, and per token (a token's `sub` within its tenant). */
const rateLimit = z.strictObject({ tenantPerMinute: perMinute, tokenPerMinute: perMinute });
const rateLimits = z.strictObject({
  tenantPerMinute: perMinute.default(6000),
  tokenPerMinute: perMinute.default(1200),
  /** Per tenant, limits other than the defaults. */
  tenants: z.record(z.string(), rateLimit.partial()).default({}),
});
export type RateLimits = z.infer<typeof rateLimits>;

export const configSchema = z.object({
  region: regionName,
  eventsTable: tableName,
  viewsTable: tableName,
  idempotencyTable: tableName,
  subjectsTable: tableName,
  auditTable: tableName,
  /** Webhook delivery positions and records; only the functions that deliver or manage webhooks need it. */
  webhooksTable: tableName.optional(),
  /** The search index (keyed hashes of words); only the indexer and the search API need it. */
  searchTable: tableName.optional(),
  /** The SQS queue that wakes webhook senders; absent locally, where a timer queue stands in. */
  webhookQueueUrl: z.url().optional(),
  /** `aws`: webhooks go to public https URLs only; `local` (npm start) also to this machine's loopback. */
  outboundMode: z.enum(['aws', 'local']).default('aws'),
  /** Where the region's heads digests go (S3 Object Lock); absent locally, where they are files. */
  digestBucket: z.string().min(3).optional(),
  /** DSAR bundles (S3, KMS-encrypted); absent locally, where they are files. */
  bundleBucket: z.string().min(3).optional(),
  /** The region's attachment bucket (uploads, message files); only the functions that read or write files have it. */
  attachmentBucket: z.string().min(3).optional(),
  /** EventBridge Scheduler: the group one-time schedules go in, the role it invokes with, its DLQ and targets. */
  scheduleGroup: z.string().min(1).optional(),
  schedulerRoleArn: z.string().min(1).optional(),
  scheduleDeadLetterArn: z.string().min(1).optional(),
  dsarDeadlinesFunctionArn: z.string().min(1).optional(),
  slaCheckerFunctionArn: z.string().min(1).optional(),
  /** The region's KMS keys (absent locally, where a key file stands in). */
  masterKeyId: z.string().min(1).optional(),
  lookupKeyId: z.string().min(1).optional(),
  /** The region's digest signing key (KMS, ECC_NIST_P256); absent locally, where a key file stands in. */
  digestSigningKeyId: z.string().min(1).optional(),
  /** Per tenant, where its requesters' data lives when the country table is not the answer. */
  tenantResidency: z.record(z.string(), residencyPolicy).default({}),
  /** What each tenant and each token may send per minute (RateLimit-Policy); over it, 429. */
  rateLimits: rateLimits.default({ tenantPerMinute: 6000, tokenPerMinute: 1200, tenants: {} }),
  /** The API endpoint of each region, named in 421 answers. */
  regionEndpoints: z.partialRecord(homeRegion, z.url()).default({}),
  /** Set for DynamoDB Local; absent in AWS. */
  dynamodbEndpoint: z.url().optional(),
  /** How often a write re-reads and re-decides after losing a race for the next stream version. */
  maxWriteAttempts: z.coerce.number().int().min(1).max(200).default(60),
  idempotencyTtlSeconds: z.coerce
    .number()
    .int()
    .min(60)
    .default(24 * 3600),
});
export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export const tenantResidencyText = jsonText(z.record(z.string(), residencyPolicy));
export const rateLimitsText = jsonText(rateLimits);
export const regionEndpointsText = jsonText(z.partialRecord(homeRegion, z.url()));

/**
 * The environment variables the stack sets and `configFromEnv` reads, named once: the stack's
 * `environment` entries and the CLI's table variables use these keys.
 */
export const envNames = {
  region: 'AWS_REGION',
  eventsTable: 'EVENTS_TABLE',
  viewsTable: 'VIEWS_TABLE',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  subjectsTable: 'SUBJECTS_TABLE',
  auditTable: 'AUDIT_TABLE',
  webhooksTable: 'WEBHOOKS_TABLE',
  searchTable: 'SEARCH_TABLE',
  webhookQueueUrl: 'WEBHOOK_QUEUE_URL',
  digestBucket: 'DIGEST_BUCKET',
  bundleBucket: 'BUNDLE_BUCKET',
  attachmentBucket: 'ATTACHMENT_BUCKET',
  scheduleGroup: 'SCHEDULE_GROUP',
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  scheduleDeadLetterArn: 'SCHEDULE_DLQ_ARN',
  dsarDeadlinesFunctionArn: 'DSAR_DEADLINES_FUNCTION_ARN',
  slaCheckerFunctionArn: 'SLA_CHECKER_FUNCTION_ARN',
  masterKeyId: 'KMS_MASTER_KEY_ID',
  lookupKeyId: 'KMS_LOOKUP_KEY_ID',
  digestSigningKeyId: 'DIGEST_SIGNING_KEY_ID',
  tenantResidency: 'TENANT_RESIDENCY',
  rateLimits: 'RATE_LIMITS',
  regionEndpoints: 'REGION_ENDPOINTS',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  maxWriteAttempts: 'MAX_WRITE_ATTEMPTS',
  idempotencyTtlSeconds: 'IDEMPOTENCY_TTL_SECONDS',
  eventBusName: 'EVENT_BUS_NAME',
} as const;

/** The Lambda side: everything from the environment the stack sets, checked once at cold start. */
export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): Config =>
  configSchema.parse({
    region: env[envNames.region],
    eventsTable: env[envNames.eventsTable],
    viewsTable: env[envNames.viewsTable],
    idempotencyTable: env[envNames.idempotencyTable],
    subjectsTable: env[envNames.subjectsTable],
    auditTable: env[envNames.auditTable],
    webhooksTable: env[envNames.webhooksTable] || undefined,
    searchTable: env[envNames.searchTable] || undefined,
    webhookQueueUrl: env[envNames.webhookQueueUrl] || undefined,
    digestBucket: env[envNames.digestBucket] || undefined,
    bundleBucket: env[envNames.bundleBucket] || undefined,
    attachmentBucket: env[envNames.attachmentBucket] || undefined,
    scheduleGroup: env[envNames.scheduleGroup] || undefined,
    schedulerRoleArn: env[envNames.schedulerRoleArn] || undefined,
    scheduleDeadLetterArn: env[envNames.scheduleDeadLetterArn] || undefined,
    dsarDeadlinesFunctionArn: env[envNames.dsarDeadlinesFunctionArn] || undefined,
    slaCheckerFunctionArn: env[envNames.slaCheckerFunctionArn] || undefined,
    masterKeyId: env[envNames.masterKeyId] || undefined,
    digestSigningKeyId: env[envNames.digestSigningKeyId] || undefined,
    lookupKeyId: env[envNames.lookupKeyId] || undefined,
    tenantResidency: env[envNames.tenantResidency] ? tenantResidencyText.parse(env[envNames.tenantResidency]) : undefined,
    rateLimits: env[envNames.rateLimits] ? rateLimitsText.parse(env[envNames.rateLimits]) : undefined,
    regionEndpoints: env[envNames.regionEndpoints] ? regionEndpointsText.parse(env[envNames.regionEndpoints]) : undefined,
    dynamodbEndpoint: env[envNames.dynamodbEndpoint] || undefined,
    maxWriteAttempts: env[envNames.maxWriteAttempts] || undefined,
    idempotencyTtlSeconds: env[envNames.idempotencyTtlSeconds] || undefined,
  });
