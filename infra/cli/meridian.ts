import '../local/local-process.ts';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ulidPattern } from '../../events/envelope.ts';
import { exportEvents } from '../../functions/shared/application/audit-export.ts';
import { ticketAt } from '../../functions/shared/application/audit-replay.ts';
import { dynamoHistory } from '../../functions/shared/dynamodb/history.ts';
import { type VerifyReport, verifyHistory } from '../../functions/shared/dynamodb/history-verify.ts';
import { progressReporter } from './progress.ts';
import { type OpenRegion, openRegions, UsageError } from './regions.ts';

/** Exit codes scripts can rely on. */
export const exitCodes = { ok: 0, broken: 1, usage: 2, failed: 3 } as const;

const usage = `meridian: audit the event history of Meridian's regions

Usage:
  meridian verify [--region R] [--tenant T]
      Recompute every hash and walk every chain; prints "verified N events in M streams".
      Exit 1 names the stream and version of the first broken link.
  meridian replay --ticket ID --at ISO-8601 [--region R]
      Print the ticket as it was at that instant (JSON), with the number of events it took.
      Exit 1 if the ticket did not exist then.
  meridian export [--since ISO-8601] [--tenant T] [--cursor N] [--region R] > file.ndjson
      One stored event per line, {"seq", "region", "event"}, in region log order.
      Resume an interrupted export with --cursor <the last line's seq>.

Where: with EVENTS_TABLE, VIEWS_TABLE, IDEMPOTENCY_TABLE, SUBJECTS_TABLE, AUDIT_TABLE and
AWS_REGION set (DIGEST_BUCKET or DIGEST_DIR for the head digests), one region's tables; otherwise the local
regions of MERIDIAN_REGIONS under MERIDIAN_DATA_DIR (the engine of a running npm start is used).

Exit codes: 0 done and intact, 1 a broken link (verify) or nothing found (replay),
2 a usage error, 3 the history could not be read.
Progress goes to standard error; results to standard output.
`;

const commands = {
  verify: { region: { type: 'string' }, tenant: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  replay: { ticket: { type: 'string' }, at: { type: 'string' }, region: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  export: {
    since: { type: 'string' },
    tenant: { type: 'string' },
    cursor: { type: 'string' },
    region: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
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
    const { values } = parseArgs({ args: rest, options: commands[command as Command], strict: true, allowPositionals: false });
    if (values.help) {
      out.write(usage);
      return exitCodes.ok;
    }
    const run = { verify, replay, export: exportCommand }[command as Command];
    return await run(values as Values, env, out, err);
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

async function withRegions<T>(env: NodeJS.ProcessEnv, region: unknown, work: (regions: OpenRegion[]) => Promise<T>): Promise<T> {
  const open = await openRegions(env, region as string | undefined);
  try {
    return await work(open.regions);
  } finally {
    await open.close();
  }
}

async function verify(values: Values, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream) {
  const tenantId = values.tenant as string | undefined;
  return withRegions(env, values.region, async (regions) => {
    let intact = true;
    for (const { deps, digests } of regions) {
      const { region } = deps.config;
      const progress = progressReporter(err, region);
      const history = dynamoHistory({
        dynamodb: deps.dynamodb,
        eventsTable: deps.config.eventsTable,
        regionLog: deps.regionLog,
        digests: digests ?? { latest: async () => null, put: async () => {} },
      });
      const report = await verifyHistory(history, { tenantId, onProgress: progress.update });
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
    `${region}: region log at ${report.logEntries}` +
    (report.digest ? `, head digest of ${report.digest.writtenAt} reached` : hasDigests ? ', no head digest yet' : ', no digest store');
  if (report.ok) {
    lines.push(`verified ${report.events} events in ${report.streams} streams (${where})`);
    if (report.unsequenced > 0)
      lines.push(`${region}: ${report.unsequenced} intact events are not in the region log yet (written moments ago)`);
  } else {
    const [first] = report.broken;
    lines.push(`broken: stream ${first!.streamId} version ${first!.version}: ${first!.reason} (${where})`);
    if (report.broken.length > 1) lines.push(`${region}: ${report.broken.length - 1} more broken links after it:`);
    for (const link of report.broken.slice(1, 20)) lines.push(`  stream ${link.streamId} version ${link.version}: ${link.reason}`);
  }
  return `${lines.join('\n')}\n`;
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
  const cursorText = values.cursor as string | undefined;
  if (cursorText !== undefined && !/^\d{1,15}$/.test(cursorText))
    throw new UsageError('--cursor must be the seq of the last line exported');
  return withRegions(env, values.region, async (regions) => {
    if (regions.length > 1)
      throw new UsageError(`each region has its own log: name one with --region (${regions.map((r) => r.deps.config.region).join(', ')})`);
    const { deps } = regions[0]!;
    const progress = progressReporter(err, deps.config.region);
    let count = 0;
    let last = cursorText;
    for await (const { seq, event } of exportEvents(deps, {
      cursor: cursorText ? Number(cursorText) : 0,
      tenantId: values.tenant as string | undefined,
      since,
    })) {
      const line = `${JSON.stringify({ seq, region: deps.config.region, event })}\n`;
      if (!out.write(line)) await new Promise((done) => out.once('drain', done));
      count += 1;
      last = String(seq);
      progress.update({ events: count, logEntries: seq });
    }
    progress.done();
    err.write(`${deps.config.region}: exported ${count} events${last ? `; resume after this with --cursor ${last}` : ''}\n`);
    return exitCodes.ok;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2), process.env).then((code) => (process.exitCode = code));
}
