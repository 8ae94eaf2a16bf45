import '../local/local-process.ts';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { dsarStreamId } from '../../events/dsar-events.ts';
import { ulidPattern } from '../../events/envelope.ts';
import { checkErasureReceipt, type ErasureReceipt } from '../../events/erasure-receipt.ts';
import { checkEventProof, type EventProof } from '../../events/event-proof.ts';
import type { HeadsDigest } from '../../events/heads-digest.ts';
import { writeDigest } from '../../functions/digest/digest.ts';
import { type ExportCursor, exportEvents } from '../../functions/shared/application/audit-export.ts';
import { NotYetCovered, proveEvent } from '../../functions/shared/application/audit-proofs.ts';
import { ticketAt } from '../../functions/shared/application/audit-replay.ts';
import { DsarNotFound } from '../../functions/shared/application/dsar-commands.ts';
import { erasureReceipt, NoReceipt } from '../../functions/shared/application/erasure-receipts.ts';
import { dynamoHistory } from '../../functions/shared/dynamodb/history.ts';
import { type BrokenLink, type VerifyReport, verifyHistory } from '../../functions/shared/dynamodb/history-verify.ts';
import { holdsRegionLog } from '../../functions/shared/dynamodb/tenant-log-store.ts';
import { noDigests } from '../../functions/shared/ports/digest-store.ts';
import { migrateRegionLog } from './migrate-log.ts';
import { progressReporter } from './progress.ts';
import { type OpenRegion, openRegions, UsageError } from './regions.ts';

/** Exit codes scripts can rely on. */
export const exitCodes = { ok: 0, broken: 1, usage: 2, failed: 3 } as const;

const usage = `meridian: audit the event history of Meridian's regions

Usage:
  meridian verify [--region R] [--tenant T] [--public-key key.pem]
      Recompute every hash and walk every chain; prints "verified N events in M streams".
      Checks every heads digest's signature (with the region's public key, or the one given)
      and the chain of digests. Exit 1 names the first broken link.
  meridian prove --event EVENT_ID [--region R] > proof.json
      The proof of one event under the newest signed heads digest: the stored event, its tenant log
      entry, the Merkle paths to the tenant's and the region's tree heads, the digest and its
      signature. Exit 1 if no tenant logged it, or it is not yet covered by a digest.
  meridian receipt --dsar DSAR_ID [--region R] > receipt.json
      The receipt of a fulfilled erasure request: proofs of its DsarFulfilled, the subject's SubjectErased
      and each of the subject's tickets' TicketErased under the newest signed heads digest; no personal
      data. Exit 1 if no region holds the request, it is not a fulfilled erasure, or not yet covered.
  meridian check-proof proof.json --public-key key.pem
      Checks a proof or an erasure receipt offline (no engine, no tables). Exit 0 valid, 1 invalid
      (naming what failed).
  meridian digest [--region R]
      Write a signed heads digest now (as the schedule does), if any tenant's log moved since the last.
  meridian public-key [--region R]
      Print the region's digest signing public key (PEM): what openssl verifies a digest with.
  meridian replay --ticket ID --at ISO-8601 [--region R]
      Print the ticket as it was at that instant (JSON), with the number of events it took.
      Exit 1 if the ticket did not exist then.
  meridian export [--since ISO-8601] [--tenant T] [--cursor N | --cursor T:N] [--region R] > file.ndjson
      One stored event per line, {"seq", "tenantId", "region", "event"}, in tenant log order: one
      tenant's (--tenant), or every tenant's, one after another, sorted by tenant id.
      Resume an interrupted export with the cursor it printed last: --cursor <seq> with --tenant,
      else --cursor <tenantId>:<seq>.
  meridian migrate-log [--region R]
      Moves the single region log of Meridian before tenant logs into one log per tenant (each
      tenant's events in the order the region log gave them), then deletes the region log's entries.
      Stop npm start first. A run that stopped part way is taken up where it stopped.

Where: with EVENTS_TABLE, VIEWS_TABLE, IDEMPOTENCY_TABLE, SUBJECTS_TABLE, AUDIT_TABLE and
AWS_REGION set (DIGEST_BUCKET or DIGEST_DIR for the heads digests), one region's tables; otherwise the local
regions of MERIDIAN_REGIONS under MERIDIAN_DATA_DIR (the engine of a running npm start is used).

Exit codes: 0 done and intact, 1 a broken link (verify) or nothing found (replay),
2 a usage error, 3 the history could not be read.
Progress goes to standard error; results to standard output.
`;

const commands = {
  verify: {
    region: { type: 'string' },
    tenant: { type: 'string' },
    'public-key': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  'public-key': { region: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  digest: { region: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  prove: { event: { type: 'string' }, region: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  receipt: { dsar: { type: 'string' }, region: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  'check-proof': { 'public-key': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  replay: { ticket: { type: 'string' }, at: { type: 'string' }, region: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  export: {
    since: { type: 'string' },
    tenant: { type: 'string' },
    cursor: { type: 'string' },
    region: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  'migrate-log': { region: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
} satisfies Record<string, ParseArgsConfig['options']>;

type Command = keyof typeof commands;
type Values = Record<string, string | boolean | undefined>;

export async function main(argv: string[], env: NodeJS.ProcessEnv, out = process.stdout, err = process.stderr): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out.write(usage);
    return command === undefined ? exitCodes.usage : exitCodes.ok;
  }
  try {
    if (!(command in commands)) throw new UsageError(`unknown command "${command}"`);
    // Only check-proof takes a positional argument: the proof file.
    const { values, positionals } = parseArgs({
      args: rest,
      options: commands[command as Command],
      strict: true,
      allowPositionals: command === 'check-proof',
    });
    if (values.help) {
      out.write(usage);
      return exitCodes.ok;
    }
    if (command === 'check-proof') return await checkProof(values as Values, positionals, out);
    const runs = {
      verify,
      replay,
      export: exportCommand,
      'migrate-log': migrateLog,
      'public-key': publicKey,
      digest: digestNow,
      prove,
      receipt,
    };
    return await runs[command as keyof typeof runs](values as Values, env, out, err);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err.write(`meridian: ${(error as Error).message}\nmeridian --help shows the commands\n`);
      return exitCodes.usage;
    }
    err.write(`meridian: ${(error as Error).name}: ${(error as Error).message}\n`);
    return exitCodes.failed;
  }
}

const instant = (name: string, value: string | boolean | undefined): Date | undefined => {
  if (value === undefined) return undefined;
  const date = new Date(String(value));
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(String(value)) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--${name} must be an ISO 8601 date or instant, such as 2026-11-24T09:30:00Z`);
  }
  return date;
};

async function withRegions<T>(
  env: NodeJS.ProcessEnv,
  region: unknown,
  work: (regions: OpenRegion[]) => Promise<T>,
  { migrating = false } = {},
): Promise<T> {
  const open = await openRegions(env, region as string | undefined);
  try {
    if (!migrating) await refuseRegionLog(open.regions);
    return await work(open.regions);
  } finally {
    await open.close();
  }
}

/** The one region a command works on: a command whose answer is per region refuses to pick one. */
function oneRegion(regions: OpenRegion[], what: string): OpenRegion {
  if (regions.length > 1)
    throw new UsageError(
      `each region has its own ${what}: name one with --region (${regions.map((r) => r.deps.config.region).join(', ')})`,
    );
  return regions[0]!;
}

async function verify(values: Values, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream) {
  const tenantId = values.tenant as string | undefined;
  const givenKey = values['public-key'] === undefined ? undefined : readPublicKey(String(values['public-key']));
  return withRegions(env, values.region, async (regions) => {
    let intact = true;
    for (const { deps, digests, signer } of regions) {
      const { region } = deps.config;
      const progress = progressReporter(err, region);
      const history = dynamoHistory({
        dynamodb: deps.dynamodb,
        eventsTable: deps.config.eventsTable,
        tenantLog: deps.tenantLog,
        digests: digests ?? noDigests,
      });
      const publicKeyPem = givenKey ?? (await signer?.publicKeyPem());
      const report = await verifyHistory(history, { tenantId, onProgress: progress.update, publicKeyPem });
      progress.done();
      out.write(describe(region, report, digests !== null));
      intact &&= report.ok;
    }
    return intact ? exitCodes.ok : exitCodes.broken;
  });
}

function describe(region: string, report: VerifyReport, hasDigests: boolean): string {
  const lines: string[] = [];
  const where =
    `${region}: ${counted(report.logEntries, 'entry', 'entries')} in ${counted(report.tenants, 'tenant log', 'tenant logs')}` +
    (report.digest ? `, heads digest of ${report.digest.writtenAt} reached` : hasDigests ? ', no heads digest yet' : ', no digest store') +
    (report.digests > 0
      ? `, ${counted(report.digests, 'digest', 'digests')} ${report.signaturesChecked ? 'signed and chained' : 'chained, signatures not checked'}`
      : '');
  if (report.ok) {
    lines.push(`verified ${report.events} events in ${report.streams} streams (${where})`);
    if (report.unsequenced > 0)
      lines.push(`${region}: ${report.unsequenced} intact events are not in their tenant's log yet (written moments ago)`);
  } else {
    const [first] = report.broken;
    lines.push(`broken: ${placeOf(first!)}: ${first!.reason} (${where})`);
    if (report.broken.length > 1) lines.push(`${region}: ${report.broken.length - 1} more broken links after it:`);
    for (const link of report.broken.slice(1, 20)) lines.push(`  ${placeOf(link)}: ${link.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** An event's place by stream and version; a place in a tenant's log, or a digest, when no event is named. */
const placeOf = (link: BrokenLink) =>
  link.streamId !== undefined
    ? `stream ${link.streamId} version ${link.version}`
    : link.digest !== undefined
      ? `heads digest of ${link.digest}`
      : `tenant ${link.tenantId} log entry ${link.seq}`;

function readPublicKey(path: string): string {
  try {
    const pem = readFileSync(path, 'utf8');
    createPublicKey(pem);
    return pem;
  } catch (error) {
    throw new UsageError(`--public-key ${path}: not a readable PEM public key (${(error as Error).message})`);
  }
}

async function digestNow(values: Values, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream) {
  return withRegions(env, values.region, async (regions) => {
    for (const { deps, digests, signer } of regions) {
      const { region } = deps.config;
      if (!digests || !signer) throw new UsageError(`${region}: no digest store or signing key (DIGEST_BUCKET or DIGEST_DIR, and a key)`);
      const digest = await writeDigest({ region, tenantLog: deps.tenantLog, digests, signer, clock: deps.clock });
      out.write(
        digest
          ? `${region}: heads digest of ${digest.writtenAt} written (${digest.heads.length} tenant logs)\n`
          : `${region}: no tenant log moved since the last heads digest\n`,
      );
    }
    return exitCodes.ok;
  });
}

async function prove(values: Values, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream) {
  const eventId = values.event as string | undefined;
  if (!eventId || !ulidPattern.test(eventId)) throw new UsageError('--event must be an event id (a ULID)');
  return withRegions(env, values.region, async (regions) => {
    for (const { deps, digests } of regions) {
      const { region } = deps.config;
      try {
        const proof = await proveEvent(
          { region, tenantLog: deps.tenantLog, eventStore: deps.eventStore, digests: digests ?? noDigests },
          eventId,
          await deps.tenantLog.tenants(),
        );
        if (!proof) continue;
        out.write(`${JSON.stringify(proof, null, 2)}\n`);
        return exitCodes.ok;
      } catch (error) {
        if (!(error instanceof NotYetCovered)) throw error;
        err.write(`meridian: ${region}: event ${eventId} is not yet covered by a digest: ${error.message} (or run \`audit digest\`)\n`);
        return exitCodes.broken;
      }
    }
    err.write(`meridian: no tenant log of ${regions.map((r) => r.deps.config.region).join(', ')} holds event ${eventId}\n`);
    return exitCodes.broken;
  });
}

async function receipt(values: Values, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream) {
  const dsarId = values.dsar as string | undefined;
  if (!dsarId || !ulidPattern.test(dsarId)) throw new UsageError('--dsar must be a data-subject request id (a ULID)');
  return withRegions(env, values.region, async (regions) => {
    for (const { deps, digests } of regions) {
      const [first] = await deps.eventStore.readStream(dsarStreamId(dsarId), { toVersion: 1 });
      if (!first) continue;
      try {
        const made = await erasureReceipt({ ...deps, digests: digests ?? noDigests }, dsarId, first.tenantId);
        out.write(`${JSON.stringify(made, null, 2)}\n`);
        return exitCodes.ok;
      } catch (error) {
        if (!(error instanceof NoReceipt || error instanceof NotYetCovered || error instanceof DsarNotFound)) throw error;
        const why =
          error instanceof NotYetCovered
            ? `its events are not yet covered by a digest: ${error.message} (or run \`audit digest\`)`
            : error.message;
        err.write(`meridian: ${deps.config.region}: no receipt for ${dsarId}: ${why}\n`);
        return exitCodes.broken;
      }
    }
    err.write(`meridian: no region of ${regions.map((r) => r.deps.config.region).join(', ')} holds request ${dsarId}\n`);
    return exitCodes.broken;
  });
}

async function checkProof(values: Values, positionals: string[], out: NodeJS.WritableStream) {
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0)
    throw new UsageError('check-proof takes one proof or receipt file: meridian check-proof proof.json --public-key key.pem');
  if (values['public-key'] === undefined) throw new UsageError("--public-key is required: the region's digest signing key (PEM)");
  const publicKeyPem = readPublicKey(String(values['public-key']));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  let checked: { failures: string[]; valid?: () => string };
  try {
    checked = checkProofText(JSON.parse(text), publicKeyPem);
  } catch (error) {
    checked = { failures: [`not a Meridian event proof or erasure receipt (${(error as Error).message})`] };
  }
  if (checked.failures.length > 0) {
    out.write(`invalid: ${file}\n${checked.failures.map((failure) => `  ${failure}\n`).join('')}`);
    return exitCodes.broken;
  }
  out.write(`valid: ${checked.valid!()}\n`);
  return exitCodes.ok;
}

/** A proof or a receipt: what failed, or what it proves. */
function checkProofText(value: unknown, publicKeyPem: string): { failures: string[]; valid?: () => string } {
  const kind = (value as { proof?: unknown; receipt?: unknown } | null) ?? {};
  if (kind.proof === 'meridian-event-proof') {
    const proof = value as EventProof;
    const { entry } = proof;
    return {
      failures: checkEventProof(proof, publicKeyPem),
      valid: () =>
        `event ${entry.eventId} (${entry.streamId} version ${entry.version}), entry ${entry.seq} of tenant ${entry.tenantId}, under the heads digest of ${digestWrittenAt(proof.digest)}`,
    };
  }
  if (kind.receipt === 'meridian-erasure-receipt') {
    const receipt = value as ErasureReceipt;
    const { erasure } = receipt;
    return {
      failures: checkErasureReceipt(receipt, publicKeyPem),
      valid: () =>
        `erasure request ${receipt.dsarId} of tenant ${receipt.tenantId} fulfilled at ${erasure.fulfilledAt}${erasure.late ? ' (late)' : ''}: ` +
        `${erasure.tickets} tickets erased${erasure.subjectErased ? ' and the subject' : ''}, ${receipt.events.length} events proven under the heads digest of ${digestWrittenAt(receipt.digest)}`,
    };
  }
  return { failures: ['not a Meridian event proof or erasure receipt'] };
}

const digestWrittenAt = (digest: EventProof['digest']) => (JSON.parse(digest.text) as HeadsDigest).writtenAt;

async function publicKey(values: Values, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream) {
  return withRegions(env, values.region, async (regions) => {
    const { signer, deps } = oneRegion(regions, 'key');
    if (!signer)
      throw new UsageError(`${deps.config.region}: no digest signing key (set DIGEST_SIGNING_KEY_ID or DIGEST_SIGNING_KEY_FILE)`);
    out.write(await signer.publicKeyPem());
    return exitCodes.ok;
  });
}

async function replay(values: Values, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream) {
  const ticketId = values.ticket as string | undefined;
  if (!ticketId || !ulidPattern.test(ticketId)) throw new UsageError('--ticket must be a ticket id (a ULID)');
  const at = instant('at', values.at);
  if (!at) throw new UsageError('--at is required: the instant to replay to');
  return withRegions(env, values.region, async (regions) => {
    for (const { deps } of regions) {
      const then = await ticketAt(deps.eventStore, ticketId, at);
      if (!then) continue;
      out.write(
        `${JSON.stringify({ region: deps.config.region, at: at.toISOString(), eventsApplied: then.events.length, ticket: then.ticket }, null, 2)}\n`,
      );
      return exitCodes.ok;
    }
    err.write(
      `meridian: ticket ${ticketId} did not exist at ${at.toISOString()} in ${regions.map((r) => r.deps.config.region).join(', ')}\n`,
    );
    return exitCodes.broken;
  });
}

async function exportCommand(values: Values, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream) {
  const since = instant('since', values.since);
  const tenantId = values.tenant as string | undefined;
  const cursor = exportCursor(values.cursor as string | undefined, tenantId);
  return withRegions(env, values.region, async (regions) => {
    const { deps } = oneRegion(regions, 'logs');
    const progress = progressReporter(err, deps.config.region);
    let count = 0;
    let last: ExportCursor | undefined;
    for await (const exported of exportEvents(deps, { cursor, tenantId, since })) {
      const line = `${JSON.stringify({ seq: exported.seq, tenantId: exported.tenantId, region: deps.config.region, event: exported.event })}\n`;
      if (!out.write(line)) await new Promise((done) => out.once('drain', done));
      count += 1;
      last = { tenantId: exported.tenantId, seq: exported.seq };
      progress.update({ events: count, logEntries: count });
    }
    progress.done();
    const resume = last && (tenantId !== undefined ? `--tenant ${tenantId} --cursor ${last.seq}` : `--cursor ${last.tenantId}:${last.seq}`);
    err.write(`${deps.config.region}: exported ${count} events${resume ? `; resume after this with ${resume}` : ''}\n`);
    return exitCodes.ok;
  });
}

/** `N` after entry N of the one tenant exported; `T:N` after entry N of tenant T when every tenant is. */
function exportCursor(text: string | undefined, tenantId: string | undefined): ExportCursor | undefined {
  if (text === undefined) return undefined;
  const at = text.lastIndexOf(':');
  const [tenant, seq] = at === -1 ? [tenantId, text] : [text.slice(0, at), text.slice(at + 1)];
  if (!/^\d{1,15}$/.test(seq) || !tenant || (tenantId !== undefined && tenant !== tenantId))
    throw new UsageError('--cursor must be the cursor an export printed last: <seq> with --tenant, else <tenantId>:<seq>');
  return { tenantId: tenant, seq: Number(seq) };
}

async function migrateLog(values: Values, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream) {
  return withRegions(
    env,
    values.region,
    async (regions) => {
      for (const { deps } of regions) {
        const moved = await migrateRegionLog(deps.dynamodb, deps.config.auditTable, deps.tenantLog);
        out.write(
          moved.entries === 0
            ? `${deps.config.region}: no region log to migrate\n`
            : `${deps.config.region}: moved ${moved.entries} region log entries into ${moved.tenants} tenant logs\n`,
        );
      }
      return exitCodes.ok;
    },
    { migrating: true },
  );
}

/** Data written before tenant logs is not read as if it were empty: the command that moves it is named. */
async function refuseRegionLog(regions: OpenRegion[]) {
  for (const { deps } of regions) {
    if (await holdsRegionLog(deps.dynamodb, deps.config.auditTable))
      throw new UsageError(
        `${deps.config.region}: the audit table holds the region log of an earlier Meridian; run \`npm run -s audit -- migrate-log\` first`,
      );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2), process.env).then((code) => (process.exitCode = code));
}
