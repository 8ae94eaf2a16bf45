import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { HomeRegion } from '../../domain/residency.ts';
import { apiFactories } from '../../functions/api/factories.ts';
import type { ApiFunctionName } from '../../functions/api/routes.ts';
import { writeDigest } from '../../functions/digest/digest.ts';
import { checkDsarDeadline, planDsarDeadlines } from '../../functions/dsar-deadlines/dsar-deadlines.ts';
import { fulfilment } from '../../functions/dsar-fulfilment/fulfilment.ts';
import { projector } from '../../functions/projector/projector.ts';
import { publisher } from '../../functions/publisher/publisher.ts';
import { runRetention } from '../../functions/retention/retention.ts';
import { searchIndexer } from '../../functions/search-indexer/indexer.ts';
import { sequencer } from '../../functions/sequencer/sequencer.ts';
import { sendWebhook } from '../../functions/shared/application/webhook-sender.ts';
import { holdsRegionLog } from '../../functions/shared/dynamodb/tenant-log-store.ts';
import { compose, type Overrides } from '../../functions/shared/platform/composition.ts';
import { type Config, type ConfigInput, configSchema } from '../../functions/shared/platform/config.ts';
import type { HttpHandler } from '../../functions/shared/platform/http/api-handler.ts';
import { unpublishedMetrics } from '../../functions/shared/platform/observability.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import type { DigestSigner } from '../../functions/shared/ports/digest-signer.ts';
import type { DigestStore } from '../../functions/shared/ports/digest-store.ts';
import type { KeyVault } from '../../functions/shared/ports/key-vault.ts';
import type { WebhookRef } from '../../functions/shared/ports/webhook-deliveries.ts';
import { checkSlaTimer, planSlaTimers } from '../../functions/sla-timers/sla-timers.ts';
import { webhookDispatcher } from '../../functions/webhook-dispatcher/dispatcher.ts';
import { fileDigestSigner, localSigningKeyPath } from './digest-signing-key.ts';
import { type Engine, freePort, localCredentials, startEngine } from './engine.ts';
import { fileAttachmentFiles } from './file-attachment-files.ts';
import { fileDigestStore, localDigestDir } from './file-digest-store.ts';
import { fileDsarBundles } from './file-dsar-bundles.ts';
import { createGateway } from './gateway.ts';
import { ephemeralVault, keyFileVault } from './key-file-vault.ts';
import { LocalBus } from './local-bus.ts';
import { LocalScheduler } from './local-scheduler.ts';
import { LocalWebhookQueue } from './local-webhook-queue.ts';
import { StreamPoller } from './stream-poller.ts';
import { ensureRegionTables } from './tables.ts';

export interface LocalRuntimeOptions {
  regions: HomeRegion[];
  /** The first region listens here, the next on port + 1, and so on; 0 picks free ports. */
  port: number;
  host?: string;
  dataDir: string;
  /** An engine already running (DYNAMODB_ENDPOINT); otherwise one is started with its data under dataDir. */
  dynamodbEndpoint?: string;
  /** Keep the engine's data in memory (tests). */
  inMemory?: boolean;
  /** Master keys that die with the process instead of a key file under dataDir (tests, benchmarks). */
  ephemeralKeys?: boolean;
  /** Per tenant, a residency policy overriding the country table (MERIDIAN_TENANT_RESIDENCY). */
  tenantResidency?: Config['tenantResidency'];
  /** Requests per minute per tenant and per token (MERIDIAN_RATE_LIMITS); the Lambda defaults otherwise. */
  rateLimits?: ConfigInput['rateLimits'];
  jwtSecret: Uint8Array;
  /** Table names get this prefix (tests share one engine). */
  tablePrefix?: string;
  logger?: Logger;
  clock?: () => Date;
  /** How often each region's heads digest is written under dataDir (and once more on stop). */
  digestIntervalMs?: number;
  /** The waits between webhook delivery attempts (tests: milliseconds instead of hours). */
  webhookRetryDelaysMs?: readonly number[];
  /** Tests: how webhook URLs' names resolve, and how long a receiver may take. */
  outbound?: Overrides['outbound'];
  /** Tests: the providers' media APIs, as recorded, served locally. */
  mediaApis?: Overrides['mediaApis'];
  /** How often the local scheduler looks for due schedules. */
  schedulerTickMs?: number;
  hooks?: RuntimeHooks;
}

/** Where tests and benchmarks inject faults or take measurements: the engine's transport, and every asynchronous target. */
export interface RuntimeHooks {
  dynamodbRequestHandler?: (region: string) => Overrides['dynamodbRequestHandler'];
  /** Wraps a stream consumer, a bus target or a schedule target, as the platform would deliver to it. */
  target?: <T extends (input: never) => Promise<unknown>>(kind: 'stream' | 'bus' | 'schedule' | 'queue', name: string, target: T) => T;
}

export interface RegionEndpoint {
  region: string;
  url: string;
  deps: Deps;
  bus: LocalBus;
  scheduler: LocalScheduler;
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
  subjectsTable: `${prefix}-${region}-subjects`,
  auditTable: `${prefix}-${region}-audit`,
  webhooksTable: `${prefix}-${region}-webhooks`,
  searchTable: `${prefix}-${region}-search`,
});

/**
 * One local region's configuration: its tables in the shared engine, webhooks also to this
 * machine's loopback (so a receiver on 127.0.0.1 works), the Lambda defaults otherwise.
 */
export const localConfig = (
  region: string,
  dynamodbEndpoint: string,
  options: { tablePrefix?: string } & Pick<ConfigInput, 'regionEndpoints' | 'tenantResidency' | 'outboundMode' | 'rateLimits'> = {},
): Config => {
  const { tablePrefix, ...rest } = options;
  return configSchema.parse({ region, dynamodbEndpoint, outboundMode: 'local', ...localTableNames(region, tablePrefix), ...rest });
};

/** A region's master keys locally: one file per region under the data folder, as KMS keeps one key per region. */
export const localKeyVault = (dataDir: string, region: string): KeyVault => keyFileVault(join(dataDir, 'keys', `${region}.json`));

/** `npm start`: per region, the tables, the projector and the publisher on the events stream, and an HTTP listener. */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const engine: Engine | undefined = options.dynamodbEndpoint
    ? undefined
    : await startEngine({ dataDir: options.inMemory ? undefined : join(options.dataDir, 'dynamodb') });
  const endpoint = options.dynamodbEndpoint ?? engine!.endpoint;
  const stops: Array<() => Promise<void>> = [];
  try {
    // Ports first: every region's 421 answers name the others' endpoints.
    const host = options.host ?? '127.0.0.1';
    const ports = await Promise.all(options.regions.map((_, i) => (options.port === 0 ? freePort() : options.port + i)));
    const regionEndpoints = Object.fromEntries(options.regions.map((region, i) => [region, `http://${host}:${ports[i]}`]));
    const endpoints: RegionEndpoint[] = [];
    for (const [i, region] of options.regions.entries()) {
      const config = localConfig(region, endpoint, {
        tablePrefix: options.tablePrefix,
        tenantResidency: options.tenantResidency,
        rateLimits: options.rateLimits,
        regionEndpoints,
      });
      const regional = await startRegion(options, config, ports[i]!);
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

async function startRegion(options: LocalRuntimeOptions, config: Config, port: number) {
  const { region, dynamodbEndpoint: endpoint } = config;
  // The scheduler's targets need the deps, and the deps the scheduler: the targets are bound below.
  const scheduleTargets: ConstructorParameters<typeof LocalScheduler>[0]['targets'] = {};
  const hooked = options.hooks?.target ?? ((_kind, _name, target) => target);
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? new Logger({ serviceName: 'meridian', persistentKeys: { region } });
  const scheduler = new LocalScheduler({
    file: join(options.dataDir, 'schedules', `${region}.json`),
    targets: scheduleTargets,
    clock,
    logger,
    tickMs: options.schedulerTickMs,
  });
  // The queue's sender needs the deps, and the deps the queue.
  let sender: (ref: WebhookRef) => Promise<void> = () => Promise.resolve();
  const webhookQueue = new LocalWebhookQueue({ sender: (ref) => sender(ref), logger });
  const keyVault = options.ephemeralKeys ? ephemeralVault() : localKeyVault(options.dataDir, region);
  // The upload URLs point at this region's gateway, whose port is known once it listens.
  let gatewayUrl = 'http://127.0.0.1';
  const attachmentFiles = fileAttachmentFiles(join(options.dataDir, region), keyVault, () => gatewayUrl);
  const deps = compose(config, {
    webhookQueue,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs,
    outbound: options.outbound,
    mediaApis: options.mediaApis,
    credentials: localCredentials,
    logger,
    clock,
    keyVault,
    scheduler,
    dsarBundles: fileDsarBundles(join(options.dataDir, region)),
    attachmentFiles,
    digests: fileDigestStore(localDigestDir(options.dataDir, region)),
    dynamodbRequestHandler: options.hooks?.dynamodbRequestHandler?.(region),
    metrics: unpublishedMetrics(region, logger),
  });
  sender = hooked('queue', 'webhook-sender', (ref: WebhookRef) => sendWebhook(deps, ref));
  scheduleTargets['dsar-deadlines'] = hooked('schedule', 'dsar-deadlines', checkDsarDeadline(deps));
  scheduleTargets.retention = hooked('schedule', 'retention', async () => void (await runRetention(deps)()));
  scheduleTargets['sla-checker'] = hooked('schedule', 'sla-checker', checkSlaTimer(deps));
  const streamArns = await ensureRegionTables(deps.dynamodb, config);
  if (await holdsRegionLog(deps.dynamodb, config.auditTable))
    throw new Error(
      `${region}: the data folder holds the region log of an earlier Meridian; stop, run \`npm run -s audit -- migrate-log\`, and start again`,
    );

  const streams = new DynamoDBStreamsClient({ region, endpoint, credentials: localCredentials });
  const bus = new LocalBus({
    region,
    logger,
    targets: {
      'dsar-fulfilment': hooked('bus', 'dsar-fulfilment', fulfilment(deps)),
      'dsar-deadlines': hooked('bus', 'dsar-deadlines', planDsarDeadlines(deps)),
      'sla-timers': hooked('bus', 'sla-timers', planSlaTimers(deps)),
    },
  });
  // Three consumers of the events table's stream, each with its own position, as three event source
  // mappings are; and the webhook dispatcher and the search indexer on the audit table's.
  const consumers = [
    { name: 'projector', stream: streamArns.events, handler: projector(deps) },
    { name: 'publisher', stream: streamArns.events, handler: publisher({ bus, logger: deps.logger }) },
    { name: 'sequencer', stream: streamArns.events, handler: sequencer(deps) },
    { name: 'webhook-dispatcher', stream: streamArns.audit, handler: webhookDispatcher(deps) },
    { name: 'search-indexer', stream: streamArns.audit, handler: searchIndexer(deps) },
  ];
  const pollers = consumers.map(
    ({ name, stream, handler }) =>
      new StreamPoller({
        client: streams,
        streamArn: stream,
        region,
        handler: hooked('stream', name, handler),
        onError: (error) => deps.logger.error('stream poller', { errorName: (error as Error).name }),
      }),
  );
  for (const poller of pollers) poller.start();
  scheduler.start();
  const digests = startDigestSchedule(
    deps,
    deps.digests,
    fileDigestSigner(localSigningKeyPath(options.dataDir, region)),
    options.digestIntervalMs ?? 60_000,
  );

  const handlers = Object.fromEntries(Object.entries(apiFactories).map(([name, factory]) => [name, factory(deps)])) as Record<
    ApiFunctionName,
    HttpHandler
  >;
  const server = createGateway({ region, handlers, jwtSecret: options.jwtSecret, uploads: attachmentFiles });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done());
  });
  const { port: bound } = server.address() as AddressInfo;
  gatewayUrl = `http://${host}:${bound}`;
  return {
    endpoint: { region, url: gatewayUrl, deps, bus, scheduler },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await Promise.all(pollers.map((poller) => poller.stop()));
      await webhookQueue.stop();
      await bus.drain();
      await scheduler.stop();
      await digests.stop();
      streams.destroy();
      deps.dynamodb.destroy();
    },
  };
}

/** The stack's scheduled digest writer, locally: a timer, and a last digest when the runtime stops. */
function startDigestSchedule(deps: Deps, digests: DigestStore, signer: DigestSigner, intervalMs: number) {
  const write = () =>
    writeDigest({ region: deps.config.region, tenantLog: deps.tenantLog, digests, signer, clock: deps.clock }).catch((error: Error) =>
      deps.logger.error('heads digest failed', { errorName: error.name }),
    );
  let running = Promise.resolve<unknown>(undefined);
  const timer = setInterval(() => (running = running.then(write)), intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await write();
    },
  };
}
