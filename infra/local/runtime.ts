import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { Logger } from '@aws-lambda-powertools/logger';
import { apiFactories } from '../../functions/api/factories.ts';
import type { ApiFunctionName } from '../../functions/api/routes.ts';
import { projector } from '../../functions/projector/projector.ts';
import { compose, type Deps } from '../../functions/shared/composition.ts';
import { type Config, configSchema } from '../../functions/shared/config.ts';
import type { HttpHandler } from '../../functions/shared/http/api-handler.ts';
import { eventsTable, idempotencyTable, viewsTable } from '../../functions/shared/tables.ts';
import { type Engine, localCredentials, startEngine } from './engine.ts';
import { createGateway } from './gateway.ts';
import { StreamPoller } from './stream-poller.ts';
import { ensureTable } from './tables.ts';

export interface LocalRuntimeOptions {
  regions: string[];
  /** The first region listens here, the next on port + 1, and so on; 0 picks free ports. */
  port: number;
  host?: string;
  dataDir: string;
  /** An engine already running (DYNAMODB_ENDPOINT); otherwise one is started with its data under dataDir. */
  dynamodbEndpoint?: string;
  /** Keep the engine's data in memory (tests). */
  inMemory?: boolean;
  jwtSecret: Uint8Array;
  /** Table names get this prefix (tests share one engine). */
  tablePrefix?: string;
  logger?: Logger;
  clock?: () => Date;
}

export interface RegionEndpoint {
  region: string;
  url: string;
  deps: Deps;
}

export interface LocalRuntime {
  endpoints: RegionEndpoint[];
  dynamodbEndpoint: string;
  stop(): Promise<void>;
}

export const localTableNames = (region: string, prefix = 'meridian') => ({
  eventsTable: `${prefix}-${region}-events`,
  viewsTable: `${prefix}-${region}-views`,
  idempotencyTable: `${prefix}-${region}-idempotency`,
});

/** One local region's configuration: its tables in the shared engine, the Lambda defaults otherwise. */
export const localConfig = (region: string, dynamodbEndpoint: string, tablePrefix?: string): Config =>
  configSchema.parse({ region, dynamodbEndpoint, ...localTableNames(region, tablePrefix) });

/** `npm start`: per region, the tables, the projector on the events stream, and an HTTP listener. */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const engine: Engine | undefined = options.dynamodbEndpoint
    ? undefined
    : await startEngine({ dataDir: options.inMemory ? undefined : join(options.dataDir, 'dynamodb') });
  const endpoint = options.dynamodbEndpoint ?? engine!.endpoint;
  const stops: Array<() => Promise<void>> = [];
  try {
    const endpoints: RegionEndpoint[] = [];
    for (const [i, region] of options.regions.entries()) {
      const regional = await startRegion(options, region, endpoint, options.port === 0 ? 0 : options.port + i);
      stops.push(regional.stop);
      endpoints.push(regional.endpoint);
    }
    return {
      endpoints,
      dynamodbEndpoint: endpoint,
      async stop() {
        await Promise.all(stops.map((stop) => stop()));
        await engine?.stop();
      },
    };
  } catch (error) {
    await Promise.all(stops.map((stop) => stop()));
    await engine?.stop();
    throw error;
  }
}

async function startRegion(options: LocalRuntimeOptions, region: string, endpoint: string, port: number) {
  const deps = compose(localConfig(region, endpoint, options.tablePrefix), {
    credentials: localCredentials,
    logger: options.logger,
    clock: options.clock,
  });
  const streamArn = await ensureTable(deps.dynamodb, deps.config.eventsTable, eventsTable);
  await ensureTable(deps.dynamodb, deps.config.viewsTable, viewsTable);
  await ensureTable(deps.dynamodb, deps.config.idempotencyTable, idempotencyTable);

  const streams = new DynamoDBStreamsClient({ region, endpoint, credentials: localCredentials });
  const poller = new StreamPoller({
    client: streams,
    streamArn: streamArn!,
    region,
    handler: projector(deps),
    onError: (error) => deps.logger.error('stream poller', { errorName: (error as Error).name }),
  });
  poller.start();

  const handlers = Object.fromEntries(
    Object.entries(apiFactories).map(([name, factory]) => [name, factory(deps)]),
  ) as Record<ApiFunctionName, HttpHandler>;
  const server = createGateway({ region, handlers, jwtSecret: options.jwtSecret });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: { region, url: `http://${host}:${bound}`, deps },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await poller.stop();
      streams.destroy();
      deps.dynamodb.destroy();
    },
  };
}
