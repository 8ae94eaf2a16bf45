import { z } from 'zod';

const regionName = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1');
const tableName = z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'must be a DynamoDB table name');

export const configSchema = z.object({
  region: regionName,
  eventsTable: tableName,
  viewsTable: tableName,
  idempotencyTable: tableName,
  /** Set for DynamoDB Local; absent in AWS. */
  dynamodbEndpoint: z.url().optional(),
  /** How often a write re-reads and re-decides after losing a race for the next stream version. */
  maxWriteAttempts: z.coerce.number().int().min(1).max(200).default(60),
  idempotencyTtlSeconds: z.coerce.number().int().min(60).default(24 * 3600),
});
export type Config = z.infer<typeof configSchema>;

/** The Lambda side: everything from the environment the stack sets, checked once at cold start. */
export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): Config =>
  configSchema.parse({
    region: env.AWS_REGION,
    eventsTable: env.EVENTS_TABLE,
    viewsTable: env.VIEWS_TABLE,
    idempotencyTable: env.IDEMPOTENCY_TABLE,
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    maxWriteAttempts: env.MAX_WRITE_ATTEMPTS || undefined,
    idempotencyTtlSeconds: env.IDEMPOTENCY_TTL_SECONDS || undefined,
  });
