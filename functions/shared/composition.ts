import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { monotonicFactory } from 'ulid';
import { type Config, configFromEnv } from './config.ts';
import { dynamoEventStore, type EventStore } from './event-store.ts';
import { dynamoIdempotencyStore, type IdempotencyStore } from './idempotency-store.ts';
import { dynamoTicketViews, type TicketViews } from './ticket-views.ts';

/** Everything a handler needs from the outside world, built in this one place. */
export interface Deps {
  config: Config;
  dynamodb: DynamoDBClient;
  eventStore: EventStore;
  ticketViews: TicketViews;
  idempotency: IdempotencyStore;
  clock: () => Date;
  newId: () => string;
  logger: Logger;
}

export interface Overrides {
  clock?: () => Date;
  logger?: Logger;
  /** Locally: fixed credentials, so DynamoDB Local keeps one database per region. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function compose(config: Config, overrides: Overrides = {}): Deps {
  const dynamodb = new DynamoDBClient({
    region: config.region,
    endpoint: config.dynamodbEndpoint,
    credentials: overrides.credentials,
    maxAttempts: 8,
  });
  return {
    config,
    dynamodb,
    eventStore: dynamoEventStore(dynamodb, config.eventsTable),
    ticketViews: dynamoTicketViews(dynamodb, config.viewsTable),
    idempotency: dynamoIdempotencyStore(dynamodb, config.idempotencyTable),
    clock: overrides.clock ?? (() => new Date()),
    newId: monotonicFactory(),
    logger: overrides.logger ?? new Logger({ serviceName: 'meridian', persistentKeys: { region: config.region } }),
  };
}

let fromEnv: Deps | undefined;
/** The Lambda side: one composition per execution environment, from the stack's environment. */
export const composeFromEnv = (): Deps => (fromEnv ??= compose(configFromEnv()));
