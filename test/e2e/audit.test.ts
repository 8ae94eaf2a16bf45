import { Writable } from 'node:stream';
import {
  type AttributeValue,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeDigest } from '../../functions/digest/digest.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { main } from '../../infra/cli/meridian.ts';
import { fileDigestStore, localDigestDir } from '../../infra/local/file-digest-store.ts';
import { auditCliEnv, call, eventually, newTicket, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

type Item = Record<string, AttributeValue>;

/** A clock the test moves: events get the instants the replay tests ask about. */
let now = new Date('2026-11-20T08:00:00.000Z');
const advance = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));

async function runCli(rt: TestRuntime, deps: Deps, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) => new Writable({ write: (chunk, _encoding, done) => (append(String(chunk)), done()) });
  const env = auditCliEnv(rt, deps);
  const code = await main(args, env, sink((t) => (stdout += t)) as never, sink((t) => (stderr += t)) as never);
  return { code, stdout, stderr };
}

describe('audit: hash chain, region log, verify, replay and export', () => {
  let rt: TestRuntime;
  let deps: Deps;
  let agent: string;
  let auditor: string;
  const tickets: string[] = [];
  const times: Record<string, string> = {};

  const eventItems = async (): Promise<Item[]> => {
    const { Items = [] } = await deps.dynamodb.send(new ScanCommand({ TableName: deps.config.eventsTable }));
    return Items;
  };
  const item = async (streamId: string, version: number) =>
    (
      await deps.dynamodb.send(
        new GetItemCommand({ TableName: deps.config.eventsTable, Key: { streamId: { S: streamId }, version: { N: String(version) } } }),
      )
    ).Item!;
  const put = (value: Item) => deps.dynamodb.send(new PutItemCommand({ TableName: deps.config.eventsTable, Item: value }));
  const remove = (streamId: string, version: number) =>
    deps.dynamodb.send(
      new DeleteItemCommand({ TableName: deps.config.eventsTable, Key: { streamId: { S: streamId }, version: { N: String(version) } } }),
    );
  /** The sequencer has logged every event of the table. */
  const settled = async () => {
    const count = (await eventItems()).length;
    const head = await eventually(
      () => deps.regionLog.head(),
      (h) => h?.seq === count,
      10_000,
    );
    expect(head?.seq).toBe(count);
  };
  const verify = () => runCli(rt, deps, 'verify');

  beforeAll(async () => {
    rt = await startTestRuntime({ clock: () => now });
    deps = rt.endpoints[0]!.deps;
    agent = await rt.token('acme', ['agent'], 'agent-1');
    auditor = await rt.token('acme', ['auditor'], 'auditor-1');
    for (const i of [0, 1, 2]) {
      const created = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ subject: `Case ${i}` }) });
      expect(created.status).toBe(201);
      tickets.push(created.body.id);
    }
    times.created = now.toISOString();
    advance(60);
    await call(rt.url, 'PATCH', `/v1/tickets/${tickets[0]}`, { token: agent, body: { priority: 'high' } });
    times.raised = now.toISOString();
    advance(60);
    await call(rt.url, 'POST', `/v1/tickets/${tickets[0]}/messages`, { token: agent, body: { body: 'On its way', from: 'agent' } });
    const solved = await call(rt.url, 'PATCH', `/v1/tickets/${tickets[0]}`, {
      token: agent,
      body: { status: 'solved', assignee: 'agent-1' },
    });
    expect(solved.body.version).toBe(6); // message, open, assigned, solved
    times.solved = now.toISOString();
    const other = await rt.token('globex', ['agent']);
    await call(rt.url, 'POST', '/v1/tickets', { token: other, body: newTicket() });
    await settled();
  }, 60_000);
  afterAll(() => rt?.stop());

  it('chains every stored event to the one before it and logs each once, in order', async () => {
    const items = await eventItems();
    const stream = items
      .filter((i) => i.streamId!.S === `ticket#${tickets[0]}`)
      .sort((a, b) => Number(a.version!.N) - Number(b.version!.N));
    expect(stream.map((i) => Number(i.version!.N))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stream[0]!.prevHash!.S).toBe('0'.repeat(64));
    for (let v = 1; v < stream.length; v++) expect(stream[v]!.prevHash!.S).toBe(stream[v - 1]!.hash!.S);
    const { entries } = await deps.regionLog.page({ after: 0, limit: 100 });
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(new Set(entries.map((e) => `${e.streamId}@${e.version}`)).size).toBe(items.length);
  });

  it('verifies an untouched history: exit 0, "verified N events in M streams"', async () => {
    const { code, stdout } = await verify();
    const items = await eventItems();
    expect(code).toBe(0);
    expect(stdout).toContain(`verified ${items.length} events in ${new Set(items.map((i) => i.streamId!.S)).size} streams`);
  });

  describe('names the stream and version of the first broken link, exit 1', () => {
    let stream: string;
    let original: Item[];
    beforeEach(async () => {
      stream = `ticket#${tickets[0]}`;
      original = await Promise.all([1, 2, 3, 4, 5, 6].map((v) => item(stream, v)));
      return async () => {
        // Put the history back as it was: each case starts from (and leaves) an intact one.
        for (const value of original) await put(value);
        expect((await verify()).code).toBe(0);
      };
    });

    it('a field of an event body changed', async () => {
      const changed = { ...original[1]!, data: { S: original[1]!.data!.S!.replace('"high"', '"urgent"') } };
      expect(changed.data.S).not.toBe(original[1]!.data!.S);
      await put(changed);
      const { code, stdout } = await verify();
      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`^broken: stream ${stream} version 2: the event was altered`, 'm'));
    });

    it('two events swapped (the order)', async () => {
      await put({ ...original[2]!, version: { N: '2' } });
      await put({ ...original[1]!, version: { N: '3' } });
      const { code, stdout } = await verify();
      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`^broken: stream ${stream} version 2:`, 'm'));
    });

    it('an event in the middle deleted', async () => {
      await remove(stream, 3);
      const { code, stdout } = await verify();
      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`^broken: stream ${stream} version 3: the event is missing`, 'm'));
    });

    it('the last event of a stream deleted', async () => {
      await remove(stream, 6);
      const { code, stdout } = await verify();
      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`^broken: stream ${stream} version 6: the event is missing`, 'm'));
    });

    it('a whole stream deleted', async () => {
      for (const v of [1, 2, 3, 4, 5, 6]) await remove(stream, v);
      const { code, stdout } = await verify();
      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`^broken: stream ${stream} version 1: the whole stream is missing`, 'm'));
    });

    it('an event inserted after the end with a forged link', async () => {
      await put({ ...original[5]!, version: { N: '7' }, eventId: { S: '01JDZ0000000000000000FORGE' } });
      const { code, stdout } = await verify();
      expect(code).toBe(1);
      expect(stdout).toMatch(new RegExp(`^broken: stream ${stream} version 7:`, 'm'));
      await settled();
      await remove(stream, 7);
      // The sequencer logged the forgery; its log entry now points at nothing, which verify keeps reporting.
      const { stdout: after } = await verify();
      expect(after).toMatch(new RegExp(`stream ${stream} version 7: the event is missing`));
      await rewindLogPast(stream, 7);
      expect((await verify()).code).toBe(0);
    });
  });

  /** Takes the log's last entry (which must cover this event) back off, with the stream's cursor: only a test may rewrite the log. */
  async function rewindLogPast(streamId: string, version: number) {
    const head = (await deps.regionLog.head())!;
    const entry = (await deps.regionLog.entry(head.seq))!;
    expect([entry.streamId, entry.version]).toEqual([streamId, version]);
    await deps.dynamodb.send(
      new DeleteItemCommand({ TableName: deps.config.auditTable, Key: { pk: { S: 'log' }, seq: { N: String(head.seq) } } }),
    );
    const cursorKey = { pk: { S: `stream#${streamId}` }, seq: { N: '0' } };
    if (version === 1) await deps.dynamodb.send(new DeleteItemCommand({ TableName: deps.config.auditTable, Key: cursorKey }));
    else {
      const lastHash = (await item(streamId, version - 1)).hash!;
      await deps.dynamodb.send(
        new PutItemCommand({
          TableName: deps.config.auditTable,
          Item: { ...cursorKey, lastVersion: { N: String(version - 1) }, lastHash },
        }),
      );
    }
  }

  it('detects a history cut short below the newest head digest (events and log alike)', async () => {
    const digests = fileDigestStore(localDigestDir(rt.dataDir, deps.config.region));
    const digest = (await writeDigest({ region: deps.config.region, regionLog: deps.regionLog, digests, clock: () => now }))!;
    expect(digest.seq).toBe((await deps.regionLog.head())!.seq);
    expect(await writeDigest({ region: deps.config.region, regionLog: deps.regionLog, digests, clock: () => now })).toBeNull();
    const lastEvent = await item(digest.streamId, digest.version);
    const lastEntry = (
      await deps.dynamodb.send(
        new QueryCommand({
          TableName: deps.config.auditTable,
          KeyConditionExpression: 'pk = :p AND seq = :s',
          ExpressionAttributeValues: { ':p': { S: 'log' }, ':s': { N: String(digest.seq) } },
        }),
      )
    ).Items![0]!;
    // A careful forger removes the event and its log entry, and moves the cursor back.
    await remove(digest.streamId, digest.version);
    await rewindLogPast(digest.streamId, digest.version);
    const { code, stdout } = await verify();
    expect(code).toBe(1);
    expect(stdout).toMatch(
      new RegExp(
        `^broken: stream ${digest.streamId} version ${digest.version}: the history ends at region log entry ${digest.seq - 1}, but the head digest`,
        'm',
      ),
    );
    await put(lastEvent);
    await deps.dynamodb.send(new PutItemCommand({ TableName: deps.config.auditTable, Item: lastEntry }));
    await deps.dynamodb.send(
      new PutItemCommand({
        TableName: deps.config.auditTable,
        Item: {
          pk: { S: `stream#${digest.streamId}` },
          seq: { N: '0' },
          lastVersion: { N: String(digest.version) },
          lastHash: { S: lastEvent.hash!.S! },
        },
      }),
    );
    expect((await verify()).code).toBe(0);
  });

  it('replays a ticket to an instant between two events: after the first, before the second (CLI)', async () => {
    const between = new Date(Date.parse(times.raised!) + 30 * 60_000).toISOString();
    const { code, stdout } = await runCli(rt, deps, 'replay', '--ticket', tickets[0]!, '--at', between);
    expect(code).toBe(0);
    const replayed = JSON.parse(stdout);
    expect(replayed).toMatchObject({ eventsApplied: 2, ticket: { priority: 'high', status: 'new', version: 2 } });
    const before = await runCli(
      rt,
      deps,
      'replay',
      '--ticket',
      tickets[0]!,
      '--at',
      new Date(Date.parse(times.created!) - 1).toISOString(),
    );
    expect(before.code).toBe(1);
    expect((await runCli(rt, deps, 'replay', '--ticket', tickets[0]!, '--at', 'yesterday')).code).toBe(2);
  });

  it('serves the same replay over HTTP to auditors only, and records every auditor read', async () => {
    const between = new Date(Date.parse(times.raised!) + 30 * 60_000).toISOString();
    const then = await call(rt.url, 'GET', `/v1/audit/tickets/${tickets[0]}?at=${encodeURIComponent(between)}`, { token: auditor });
    expect(then.status).toBe(200);
    expect(then.body.ticket).toMatchObject({ priority: 'high', status: 'new', version: 2 });
    expect(then.body.events.map((e: { version: number }) => e.version)).toEqual([1, 2]);
    expect(then.body.events[1].prevHash).toBe(then.body.events[0].hash);
    // Auditors see personal data sealed, as stored (and as hashed).
    expect(then.body.ticket.requester.email).toMatch(/^pii:1:/);
    expect((await call(rt.url, 'GET', `/v1/audit/tickets/${tickets[0]}?at=2020-01-01T00:00:00Z`, { token: auditor })).status).toBe(404);
    expect((await call(rt.url, 'GET', `/v1/audit/tickets/${tickets[0]}?at=soon`, { token: auditor })).status).toBe(400);
    expect((await call(rt.url, 'GET', `/v1/audit/tickets/${tickets[0]}`, { token: agent })).status).toBe(403);
    expect((await call(rt.url, 'PATCH', `/v1/tickets/${tickets[0]}`, { token: auditor, body: { priority: 'low' } })).status).toBe(403);
    await call(rt.url, 'GET', `/v1/tickets/${tickets[1]}`, { token: auditor });

    const reads = (await eventItems()).filter((i) => i.type!.S === 'AuditorRead').map((i) => JSON.parse(i.data!.S!));
    expect(reads).toEqual(
      expect.arrayContaining([
        {
          method: 'GET',
          route: 'GET /v1/audit/tickets/{id}',
          path: `/v1/audit/tickets/${tickets[0]}`,
          query: { at: between },
          withheld: [],
          status: 200,
        },
        { method: 'GET', route: 'GET /v1/tickets/{id}', path: `/v1/tickets/${tickets[1]}`, query: {}, withheld: [], status: 200 },
      ]),
    );
    expect(reads).toHaveLength(2); // refusals (404, 400, 403) are not reads
    const readItem = (await eventItems()).find((i) => i.type!.S === 'AuditorRead')!;
    expect(JSON.parse(readItem.actor!.S!)).toEqual({ type: 'user', id: 'auditor-1' });
    await settled();
    expect((await verify()).code).toBe(0);
  });

  it("pages through the tenant's part of the region log over HTTP, in order, resumable by cursor", async () => {
    await settled();
    const seen: Array<{ seq: number; event: { tenantId: string; hash: string } }> = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const reply = await call(rt.url, 'GET', `/v1/audit/events?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: auditor });
      expect(reply.status).toBe(200);
      seen.push(...reply.body.items);
      cursor = reply.body.nextCursor;
      if (!reply.body.hasMore) break;
    }
    const seqs = seen.map((item) => item.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seen.every((item) => item.event.tenantId === 'acme')).toBe(true);
    const acmeTicketEvents = (await eventItems()).filter((i) => i.tenantId!.S === 'acme' && i.streamId!.S!.startsWith('ticket#'));
    expect(seen.filter((item) => (item.event as unknown as { streamId: string }).streamId.startsWith('ticket#'))).toHaveLength(
      acmeTicketEvents.length,
    );
    expect((await call(rt.url, 'GET', '/v1/audit/events?cursor=-1', { token: auditor })).status).toBe(400);
    expect((await call(rt.url, 'GET', '/v1/audit/events?limit=5000', { token: auditor })).status).toBe(400);
  });

  it('exports NDJSON, one stored event per line, filtered by tenant and since, resumable by cursor', async () => {
    await settled();
    const all = await runCli(rt, deps, 'export');
    expect(all.code).toBe(0);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength((await eventItems()).length);
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(all.stderr).toContain(`resume after this with --cursor ${lines.length}`);

    const resumed = await runCli(rt, deps, 'export', '--cursor', '4');
    expect(
      resumed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).seq)[0],
    ).toBe(5);

    const globex = await runCli(rt, deps, 'export', '--tenant', 'globex');
    const globexLines = globex.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(globexLines.map((l) => l.event.tenantId)).toEqual(['globex']);

    const since = await runCli(rt, deps, 'export', '--since', times.solved!);
    expect(
      since.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).event.recordedAt)
        .every((at: string) => at >= times.solved!),
    ).toBe(true);
    expect((await runCli(rt, deps, 'export', '--cursor', 'abc')).code).toBe(2);
  });
});
