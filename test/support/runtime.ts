import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import type { Role } from '../../domain/access.ts';
import type { HomeRegion } from '../../domain/residency.ts';
import { writeDigest } from '../../functions/digest/digest.ts';
import { envNames } from '../../functions/shared/platform/config.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { eventsLogged } from '../../functions/shared/ports/tenant-log-store.ts';
import { main } from '../../infra/cli/meridian.ts';
import { fileDigestSigner, localSigningKeyPath } from '../../infra/local/digest-signing-key.ts';
import { localDigestDir } from '../../infra/local/file-digest-store.ts';
import { signToken } from '../../infra/local/jwt.ts';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../infra/local/runtime.ts';
import { regionTableShapes } from '../../infra/local/tables.ts';
import { capturingLogger } from './logs.ts';

export interface TestRuntime extends LocalRuntime {
  url: string;
  /** This runtime's own data folder (head digests are written under it). */
  dataDir: string;
  secret: Uint8Array;
  token(tenant: string, roles: Role[], sub?: string): Promise<string>;
  logs: string[];
}

/** The local runtime on free ports, against the shared engine, in tables no other test file uses. */
export async function startTestRuntime(
  options: Pick<
    LocalRuntimeOptions,
    'clock' | 'tenantResidency' | 'digestIntervalMs' | 'webhookRetryDelaysMs' | 'outbound' | 'rateLimits' | 'mediaApis'
  > & {
    regions?: HomeRegion[];
  } = {},
): Promise<TestRuntime> {
  const secret = randomBytes(32);
  const logs: string[] = [];
  const logger = capturingLogger(logs);
  const dataDir = mkdtempSync(join(tmpdir(), 'meridian-test-'));
  const runtime = await startLocalRuntime({
    regions: options.regions ?? ['eu-central-1'],
    port: 0,
    dataDir,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    jwtSecret: secret,
    tablePrefix: `t${randomBytes(4).toString('hex')}`,
    logger,
    clock: options.clock,
    tenantResidency: options.tenantResidency,
    // Tests send far more than a person would: limits apply where a test sets them.
    rateLimits: options.rateLimits ?? { tenantPerMinute: 10_000_000, tokenPerMinute: 10_000_000 },
    digestIntervalMs: options.digestIntervalMs,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs,
    outbound: options.outbound,
    mediaApis: options.mediaApis,
    ephemeralKeys: true,
  });
  return {
    ...runtime,
    async stop() {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    dataDir,
    url: runtime.endpoints[0]!.url,
    secret,
    logs,
    token: (tenant, roles, sub = `${roles[0]}-1`) => signToken(secret, { tenant, roles, sub }),
  };
}

/** The environment `audit` CLI runs get to work on a test runtime's region, as on one region's tables. */
export const auditCliEnv = (rt: Pick<TestRuntime, 'dataDir' | 'dynamodbEndpoint'>, deps: Deps) => ({
  [envNames.region]: deps.config.region,
  [envNames.eventsTable]: deps.config.eventsTable,
  [envNames.viewsTable]: deps.config.viewsTable,
  [envNames.idempotencyTable]: deps.config.idempotencyTable,
  [envNames.subjectsTable]: deps.config.subjectsTable,
  [envNames.auditTable]: deps.config.auditTable,
  [envNames.dynamodbEndpoint]: rt.dynamodbEndpoint,
  DIGEST_DIR: localDigestDir(rt.dataDir, deps.config.region),
  DIGEST_SIGNING_KEY_FILE: localSigningKeyPath(rt.dataDir, deps.config.region),
});

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** A small HTTP client: JSON in, JSON (or problem+json) out. */
export async function call(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export const newTicket = (overrides: Record<string, unknown> = {}) => ({
  subject: 'Parcel never arrived',
  description: 'Order 1234 was due last week.',
  channel: 'email',
  requester: { email: 'anna.schmidt@example.de', name: 'Anna Schmidt', country: 'DE', locale: 'de-DE', timeZone: 'Europe/Berlin' },
  ...overrides,
});

export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Every item of a table, page by page, read consistently. */
export async function scanItems(deps: Deps, table: string): Promise<Array<Record<string, AttributeValue>>> {
  const items: Array<Record<string, AttributeValue>> = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await deps.dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Every item of every table of the region, as raw text: what a raw scan of the database yields,
 * but the rate limiter's counters. It counts every request with a token, refused or not: metering
 * (a tenant id, a hash of the token's subject, counts), not something a request wrote.
 */
export async function scanAllTables(deps: Deps): Promise<string> {
  const texts: string[] = [];
  for (const table of Object.keys(regionTableShapes(deps.config)))
    for (const item of await scanItems(deps, table)) if (!item.pk?.S?.startsWith('rate:')) texts.push(JSON.stringify(item));
  return texts.join('\n');
}

/** The items of a table: a Scan counts one page (1 MB) at a time. */
export async function countItems(deps: Deps, table: string): Promise<number> {
  let count = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await deps.dynamodb.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

/** How many events the region's tenant logs hold. */
export const loggedEvents = (deps: Deps): Promise<number> => eventsLogged(deps.tenantLog);

/** Once the sequencer has logged every stored event: the tables stop changing on their own. */
export async function sequenced(deps: Deps, timeoutMs = 10_000): Promise<number> {
  const events = await countItems(deps, deps.config.eventsTable);
  const logged = await eventually(
    () => loggedEvents(deps),
    (count) => count === events,
    timeoutMs,
  );
  if (logged !== events) throw new Error(`the tenant logs hold ${logged} of ${events} events after ${timeoutMs} ms`);
  return events;
}

/**
 * The region's tables as they stand once the asynchronous consumers (sequencer, projector) have
 * caught up with every write: what a "writes nothing" check compares against.
 */
export async function settledTables(deps: Deps): Promise<string> {
  await sequenced(deps);
  let previous = await scanAllTables(deps);
  for (let i = 0; i < 20; i++) {
    await new Promise((done) => setTimeout(done, 150));
    const current = await scanAllTables(deps);
    if (current === previous) return current;
    previous = current;
  }
  return previous;
}

/** The audit command line (`npm run -s audit -- ...`) on the runtime's region: its exit code and what it printed. */
export async function auditCli(rt: Pick<TestRuntime, 'dataDir' | 'dynamodbEndpoint'>, deps: Deps, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) => new Writable({ write: (chunk, _encoding, done) => (append(String(chunk)), done()) });
  const code = await main(args, auditCliEnv(rt, deps), sink((t) => (stdout += t)) as never, sink((t) => (stderr += t)) as never);
  return { code, stdout, stderr };
}

/** `meridian audit verify` on the region, once the sequencer has logged every stored event. */
export async function auditVerify(
  rt: Pick<TestRuntime, 'dataDir' | 'dynamodbEndpoint'>,
  deps: Deps,
): Promise<{ code: number; stdout: string; events: number }> {
  const events = await sequenced(deps);
  const { code, stdout } = await auditCli(rt, deps, 'verify');
  return { code, stdout, events };
}

/** A signed heads digest now, at the runtime's clock, as its schedule writes one; null when no tenant log moved. */
export const writeTestDigest = (rt: Pick<TestRuntime, 'dataDir'>, deps: Deps) =>
  writeDigest({
    region: deps.config.region,
    tenantLog: deps.tenantLog,
    digests: deps.digests,
    signer: fileDigestSigner(localSigningKeyPath(rt.dataDir, deps.config.region)),
    clock: deps.clock,
  });
