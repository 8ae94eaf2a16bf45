import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AttributeValue, DeleteItemCommand, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkEventProof } from '../../events/event-proof.ts';
import { digestHash, digestText, regionRoot } from '../../events/heads-digest.ts';
import { writeDigest } from '../../functions/digest/digest.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { digestName } from '../../functions/shared/ports/digest-store.ts';
import { fileDigestSigner, localSigningKeyPath } from '../../infra/local/digest-signing-key.ts';
import { fileDigestStore, localDigestDir } from '../../infra/local/file-digest-store.ts';
import { auditCli, call, eventually, loggedEvents, newTicket, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

type Item = Record<string, AttributeValue>;

/** A clock the test moves: events get the instants the replay tests ask about. */
// From the real time: the sequencer's notes of which tenants moved expire a week after the clock's
// time, and DynamoDB Local's TTL sweeper removes them by the real one (a fixed date went stale).
let now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const advance = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));

describe('audit: hash chain, tenant logs, verify, replay and export', () => {
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
    expect(
      await eventually(
        () => loggedEvents(deps),
        (logged) => logged === count,
        10_000,
      ),
    ).toBe(count);
  };
  const verify = () => auditCli(rt, deps, 'verify');

  beforeAll(async () => {
    // The tests write each digest themselves: the runtime's own timer would race them for the next one.
    rt = await startTestRuntime({ clock: () => now, digestIntervalMs: 24 * 3600_000 });
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
    expect(await deps.tenantLog.tenants()).toEqual(['acme', 'globex']);
    const positions = new Set<string>();
    for (const tenantId of ['acme', 'globex']) {
      const { entries } = await deps.tenantLog.page({ tenantId, after: 0, limit: 100 });
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      expect(entries.every((e) => e.tenantId === tenantId)).toBe(true);
      for (const e of entries) positions.add(`${e.streamId}@${e.version}`);
    }
    expect(positions.size).toBe(items.length);
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

  /** Takes the tenant log's last entry (which must cover this event) back off, with the stream's cursor: only a test may rewrite the log. */
  async function rewindLogPast(streamId: string, version: number, tenantId = 'acme') {
    const commit = (await deps.tenantLog.lastCommit(tenantId))!.entries;
    expect([commit.at(-1)!.streamId, commit.at(-1)!.version]).toEqual([streamId, version]);
    const key = { pk: { S: `log#${tenantId}` }, seq: { N: String(commit[0]!.seq) } };
    const stored = (await deps.dynamodb.send(new GetItemCommand({ TableName: deps.config.auditTable, Key: key }))).Item!;
    if (commit.length === 1) await deps.dynamodb.send(new DeleteItemCommand({ TableName: deps.config.auditTable, Key: key }));
    else {
      const entries = JSON.stringify(JSON.parse(stored.entries!.S!).slice(0, -1));
      await deps.dynamodb.send(new PutItemCommand({ TableName: deps.config.auditTable, Item: { ...stored, entries: { S: entries } } }));
    }
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
    return stored;
  }

  const digestDir = () => localDigestDir(rt.dataDir, deps.config.region);
  const digestDeps = () => ({
    region: deps.config.region,
    tenantLog: deps.tenantLog,
    digests: fileDigestStore(digestDir()),
    signer: fileDigestSigner(localSigningKeyPath(rt.dataDir, deps.config.region)),
    clock: () => now,
  });
  /** A digest over a moved head: the log moves when an event is appended and sequenced. */
  const nextDigest = async () => {
    advance(1);
    const headSeq = async () => (await deps.tenantLog.lastCommit('acme'))?.entries.at(-1)?.seq ?? 0;
    const before = await headSeq();
    await call(rt.url, 'POST', `/v1/tickets/${tickets[2]}/messages`, { token: agent, body: { body: 'Any news?', from: 'requester' } });
    // The message's events are in acme's log (a count of all events against all entries can match early).
    expect(await eventually(headSeq, (seq) => seq > before, 10_000)).toBeGreaterThan(before);
    await settled();
    const digest = await writeDigest(digestDeps());
    expect(digest, 'a digest over the moved head').not.toBeNull();
    return digest!;
  };
  const digestFiles = async () => (await readdir(digestDir())).filter((name) => name.endsWith('.json')).sort();

  describe('signed heads digests', () => {
    it('signs each digest so that stock openssl verifies it with the public key the CLI prints', async () => {
      await nextDigest();
      const [newest] = await digestFiles();
      const { code, stdout } = await auditCli(rt, deps, 'public-key');
      expect(code).toBe(0);
      expect(stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
      const keyFile = join(rt.dataDir, 'key.pem');
      await writeFile(keyFile, stdout);
      const digestFile = join(digestDir(), newest!);
      const openssl = spawnSync(
        'openssl',
        ['dgst', '-sha256', '-verify', keyFile, '-signature', digestFile.replace(/\.json$/, '.sig'), digestFile],
        {
          encoding: 'utf8',
        },
      );
      expect(openssl.stdout.trim()).toBe('Verified OK');
      const verified = await auditCli(rt, deps, 'verify', '--public-key', keyFile);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(/\d+ digests? signed and chained\)$/m);
    });

    it('proves one event under the newest signed digest, and check-proof checks it offline', async () => {
      await nextDigest();
      const opened = (await eventItems()).find((i) => i.streamId!.S === `ticket#${tickets[0]}` && i.version!.N === '1')!;
      const proved = await auditCli(rt, deps, 'prove', '--event', opened.eventId!.S!);
      expect(proved.code).toBe(0);
      const proof = JSON.parse(proved.stdout);
      expect(proof).toMatchObject({ proof: 'meridian-event-proof', version: 1, event: { eventId: opened.eventId!.S, tenantId: 'acme' } });
      expect(proof.tenantTree.path.length).toBeGreaterThan(1);
      const keyFile = join(rt.dataDir, 'proof-key.pem');
      await writeFile(keyFile, (await auditCli(rt, deps, 'public-key')).stdout);
      const check = async (value: unknown, key = keyFile) => {
        const file = join(rt.dataDir, `proof-${Math.random()}.json`);
        await writeFile(file, JSON.stringify(value));
        return auditCli(rt, deps, 'check-proof', file, '--public-key', key);
      };
      const valid = await check(proof);
      expect(valid.code).toBe(0);
      expect(valid.stdout).toMatch(
        new RegExp(`^valid: event ${opened.eventId!.S} \\(ticket#${tickets[0]} version 1\\), entry \\d+ of tenant acme`),
      );

      const invalid = async (value: unknown, failure: string, key?: string) => {
        const { code, stdout } = await check(value, key);
        expect(code).toBe(1);
        expect(stdout).toContain(failure);
      };
      await invalid(
        { ...proof, event: { ...proof.event, data: { ...proof.event.data, priority: 'low' } } },
        "the event's stored record does not give its hash",
      );
      const path = [...proof.tenantTree.path];
      path[0] = path[0].replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
      await invalid(
        { ...proof, tenantTree: { ...proof.tenantTree, path } },
        "the entry's Merkle path does not reach its tenant's tree head",
      );
      await invalid(
        { ...proof, tenantTree: { ...proof.tenantTree, index: proof.tenantTree.index + 1 } },
        "the entry's place does not match",
      );
      await invalid({ ...proof, head: { ...proof.head, root: 'f'.repeat(64) } }, "the tenant's head is not the one the digest holds");
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const resigned = sign('sha256', Buffer.from(proof.digest.text), { key: privateKey, dsaEncoding: 'der' }).toString('base64');
      await invalid(
        { ...proof, digest: { ...proof.digest, signature: resigned } },
        "the digest's signature does not verify with the public key",
      );
      await invalid({ hello: 'world' }, 'not a Meridian event proof');
      expect((await auditCli(rt, deps, 'check-proof', join(rt.dataDir, 'absent.json'), '--public-key', keyFile)).code).toBe(2);
      expect((await auditCli(rt, deps, 'check-proof', keyFile)).code).toBe(2);
    });

    it('serves the same proof over HTTP to auditors and DPOs of the tenant only', async () => {
      await nextDigest();
      const items = await eventItems();
      const acmeEvent = items.find((i) => i.streamId!.S === `ticket#${tickets[0]}` && i.version!.N === '3')!;
      const globexEvent = items.find((i) => i.tenantId!.S === 'globex')!;
      const dpo = await rt.token('acme', ['dpo'], 'dpo-1');
      const reply = await call(rt.url, 'GET', `/v1/audit/proofs/${acmeEvent.eventId!.S}`, { token: dpo });
      expect(reply.status).toBe(200);
      const publicKeyPem = (await auditCli(rt, deps, 'public-key')).stdout;
      expect(checkEventProof(reply.body, publicKeyPem)).toEqual([]);
      expect(reply.body.event).toMatchObject({ eventId: acmeEvent.eventId!.S, streamId: `ticket#${tickets[0]}`, version: 3 });
      expect((await call(rt.url, 'GET', `/v1/audit/proofs/${acmeEvent.eventId!.S}`, { token: auditor })).status).toBe(200);
      expect((await call(rt.url, 'GET', `/v1/audit/proofs/${acmeEvent.eventId!.S}`, { token: agent })).status).toBe(403);
      expect((await call(rt.url, 'GET', `/v1/audit/proofs/${globexEvent.eventId!.S}`, { token: auditor })).status).toBe(404);
      const bad = await call(rt.url, 'GET', '/v1/audit/proofs/not-an-id', { token: auditor });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');

      advance(1);
      await call(rt.url, 'POST', `/v1/tickets/${tickets[0]}/messages`, { token: agent, body: { body: 'After the digest', from: 'agent' } });
      await settled();
      const late = (await eventItems())
        .filter((i) => i.streamId!.S === `ticket#${tickets[0]}`)
        .sort((x, y) => Number(y.version!.N) - Number(x.version!.N))[0]!;
      const notYet = await call(rt.url, 'GET', `/v1/audit/proofs/${late.eventId!.S}`, { token: auditor });
      expect(notYet.status).toBe(409);
      expect(notYet.body).toMatchObject({ code: 'not-yet-covered' });
      expect(notYet.body.detail).toContain('the next digest covers it');
      await settled();
    });

    it('answers "not yet covered by a digest" for an event logged after the newest digest, and names an unknown event', async () => {
      await nextDigest();
      advance(1);
      const reply = await call(rt.url, 'POST', `/v1/tickets/${tickets[1]}/messages`, {
        token: agent,
        body: { body: 'Later', from: 'agent' },
      });
      expect(reply.status).toBe(201);
      await settled();
      const newest = (await eventItems()).find((i) => i.streamId!.S === `ticket#${tickets[1]}` && i.type!.S === 'MessageAdded')!;
      const notYet = await auditCli(rt, deps, 'prove', '--event', newest.eventId!.S!);
      expect(notYet.code).toBe(1);
      expect(notYet.stderr).toContain('is not yet covered by a digest');
      const unknown = await auditCli(rt, deps, 'prove', '--event', '01JDZ0000000000000000ABSNT');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('holds event 01JDZ0000000000000000ABSNT');
      expect((await auditCli(rt, deps, 'prove', '--event', 'nope')).code).toBe(2);
      await nextDigest();
      expect((await auditCli(rt, deps, 'prove', '--event', newest.eventId!.S!)).code).toBe(0);
    });

    it('a digest re-signed with another key: exit 1, naming the digest', async () => {
      const digest = await nextDigest();
      const signatureFile = join(digestDir(), (await digestFiles())[0]!.replace(/\.json$/, '.sig'));
      const original = await readFile(signatureFile);
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const text = await readFile(signatureFile.replace(/\.sig$/, '.json'));
      await rm(signatureFile, { force: true });
      await writeFile(signatureFile, sign('sha256', text, { key: privateKey, dsaEncoding: 'der' }));
      const { code, stdout } = await verify();
      expect(code).toBe(1);
      expect(stdout).toMatch(
        new RegExp(
          `^broken: heads digest of ${digest.writtenAt}: the heads digest of ${digest.writtenAt} does not verify with the region's public key`,
          'm',
        ),
      );
      await rm(signatureFile, { force: true });
      await writeFile(signatureFile, original);
      expect((await verify()).code).toBe(0);
    });

    it("a digest signed with the region's key over a tenant root its log does not give: exit 1, naming the entry", async () => {
      const newest = (await fileDigestStore(digestDir()).latest())!.digest;
      const heads = newest.heads.map((head) => (head.tenantId === 'acme' ? { ...head, root: 'f'.repeat(64) } : head));
      const forged = {
        region: newest.region,
        heads,
        root: regionRoot(heads),
        writtenAt: new Date(Date.parse(newest.writtenAt) + 1).toISOString(),
        previousDigestHash: digestHash(newest),
      };
      const text = digestText(forged);
      await digestDeps().digests.put({ digest: forged, text, signature: await digestDeps().signer.sign(Buffer.from(text)) });
      const { code, stdout } = await verify();
      expect(code).toBe(1);
      const seq = heads.find((head) => head.tenantId === 'acme')!.seq;
      expect(stdout).toMatch(
        new RegExp(`^broken: stream \\S+ version \\d+: the tenant log's Merkle root at entry ${seq} differs from the heads digest`, 'm'),
      );
      for (const ext of ['.json', '.sig']) await rm(join(digestDir(), digestName(forged).replace(/\.json$/, ext)), { force: true });
      expect((await verify()).code).toBe(0);
    });

    it('a digest removed from the middle of the chain: exit 1, naming the digest after the gap', async () => {
      await nextDigest();
      const middle = await nextDigest();
      const after = await nextDigest();
      const middleFile = (await digestFiles())[1]!;
      expect(JSON.parse(await readFile(join(digestDir(), middleFile), 'utf8')).writtenAt).toBe(middle.writtenAt);
      const kept = await Promise.all(['.json', '.sig'].map((ext) => readFile(join(digestDir(), middleFile.replace(/\.json$/, ext)))));
      for (const ext of ['.json', '.sig']) await rm(join(digestDir(), middleFile.replace(/\.json$/, ext)));
      const { code, stdout } = await verify();
      expect(code).toBe(1);
      expect(stdout).toMatch(
        new RegExp(`^broken: heads digest of ${after.writtenAt}: the heads digest before the one of ${after.writtenAt} is missing`, 'm'),
      );
      for (const [i, ext] of ['.json', '.sig'].entries()) await writeFile(join(digestDir(), middleFile.replace(/\.json$/, ext)), kept[i]!);
      expect((await verify()).code).toBe(0);
    });
  });

  it('detects a tenant log cut short below the newest heads digest (events and log alike)', async () => {
    const digest = await nextDigest();
    expect(digest.heads.map((head) => [head.tenantId, head.seq])).toEqual(
      await Promise.all(['acme', 'globex'].map(async (t) => [t, (await deps.tenantLog.lastCommit(t))!.entries.at(-1)!.seq])),
    );
    expect(await writeDigest(digestDeps())).toBeNull();
    const head = digest.heads.find((h) => h.tenantId === 'acme')!;
    const last = (await deps.tenantLog.lastCommit('acme'))!.entries.at(-1)!;
    const lastEvent = await item(last.streamId, last.version);
    // A careful forger removes the event and its log entry, and moves the cursor back.
    await remove(last.streamId, last.version);
    const lastCommit = await rewindLogPast(last.streamId, last.version);
    const { code, stdout } = await verify();
    expect(code).toBe(1);
    expect(stdout).toMatch(
      new RegExp(`^broken: tenant acme log entry ${head.seq}: the log ends at entry ${head.seq - 1}, but the heads digest`, 'm'),
    );
    await put(lastEvent);
    await deps.dynamodb.send(new PutItemCommand({ TableName: deps.config.auditTable, Item: lastCommit }));
    await deps.tenantLog.advanceCursors(new Map([[last.streamId, { lastVersion: last.version, lastHash: lastEvent.hash!.S! }]]));
    expect((await verify()).code).toBe(0);
  });

  it('replays a ticket to an instant between two events: after the first, before the second (CLI)', async () => {
    const between = new Date(Date.parse(times.raised!) + 30 * 60_000).toISOString();
    const { code, stdout } = await auditCli(rt, deps, 'replay', '--ticket', tickets[0]!, '--at', between);
    expect(code).toBe(0);
    const replayed = JSON.parse(stdout);
    expect(replayed).toMatchObject({ eventsApplied: 2, ticket: { priority: 'high', status: 'new', version: 2 } });
    const before = await auditCli(
      rt,
      deps,
      'replay',
      '--ticket',
      tickets[0]!,
      '--at',
      new Date(Date.parse(times.created!) - 1).toISOString(),
    );
    expect(before.code).toBe(1);
    expect((await auditCli(rt, deps, 'replay', '--ticket', tickets[0]!, '--at', 'yesterday')).code).toBe(2);
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

    // The proof tests before this one read as an auditor too.
    const reads = (await eventItems())
      .filter((i) => i.type!.S === 'AuditorRead')
      .map((i) => JSON.parse(i.data!.S!))
      .filter((read) => read.route !== 'GET /v1/audit/proofs/{eventId}');
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

  it("pages through the tenant's log over HTTP, in order, resumable by cursor", async () => {
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
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(seen.every((item) => item.event.tenantId === 'acme')).toBe(true);
    const acmeTicketEvents = (await eventItems()).filter((i) => i.tenantId!.S === 'acme' && i.streamId!.S!.startsWith('ticket#'));
    expect(seen.filter((item) => (item.event as unknown as { streamId: string }).streamId.startsWith('ticket#'))).toHaveLength(
      acmeTicketEvents.length,
    );
    expect((await call(rt.url, 'GET', '/v1/audit/events?cursor=-1', { token: auditor })).status).toBe(400);
    expect((await call(rt.url, 'GET', '/v1/audit/events?limit=5000', { token: auditor })).status).toBe(400);
  });

  it('exports NDJSON, one stored event per line, tenant after tenant, filtered by tenant and since, resumable by cursor', async () => {
    await settled();
    const all = await auditCli(rt, deps, 'export');
    expect(all.code).toBe(0);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength((await eventItems()).length);
    const acme = lines.filter((l) => l.tenantId === 'acme');
    expect(lines.map((l) => l.tenantId)).toEqual([...acme.map(() => 'acme'), ...lines.slice(acme.length).map(() => 'globex')]);
    expect(acme.map((l) => l.seq)).toEqual(acme.map((_, i) => i + 1));
    expect(lines.every((l) => l.event.tenantId === l.tenantId)).toBe(true);
    expect(all.stderr).toContain(`resume after this with --cursor globex:${lines.length - acme.length}`);

    const resumed = await auditCli(rt, deps, 'export', '--cursor', 'acme:4');
    const resumedLines = resumed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(resumedLines[0]).toMatchObject({ tenantId: 'acme', seq: 5 });
    expect(resumedLines).toHaveLength(lines.length - 4);
    const oneTenant = await auditCli(rt, deps, 'export', '--tenant', 'acme', '--cursor', '4');
    expect(JSON.parse(oneTenant.stdout.split('\n')[0]!)).toMatchObject({ tenantId: 'acme', seq: 5 });
    expect(oneTenant.stderr).toContain(`resume after this with --tenant acme --cursor ${acme.length}`);

    const globex = await auditCli(rt, deps, 'export', '--tenant', 'globex');
    const globexLines = globex.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(globexLines.map((l) => l.event.tenantId)).toEqual(['globex']);

    const since = await auditCli(rt, deps, 'export', '--since', times.solved!);
    expect(
      since.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).event.recordedAt)
        .every((at: string) => at >= times.solved!),
    ).toBe(true);
    expect((await auditCli(rt, deps, 'export', '--cursor', 'abc')).code).toBe(2);
    expect((await auditCli(rt, deps, 'export', '--cursor', '4')).code).toBe(2); // whose 4?
    expect((await auditCli(rt, deps, 'export', '--tenant', 'acme', '--cursor', 'globex:4')).code).toBe(2);
  });
  // Last: the CLI writes with the real clock, so its digest sorts after every digest of the test's clock.
  it('writes a digest on demand from the CLI, once per move of the heads', async () => {
    advance(1);
    await call(rt.url, 'POST', `/v1/tickets/${tickets[2]}/messages`, { token: agent, body: { body: 'Still here', from: 'agent' } });
    await settled();
    const written = await auditCli(rt, deps, 'digest');
    expect(written).toMatchObject({ code: 0 });
    expect(written.stdout).toMatch(/^eu-central-1: heads digest of \S+ written \(2 tenant logs\)$/m);
    expect((await auditCli(rt, deps, 'digest')).stdout).toBe('eu-central-1: no tenant log moved since the last heads digest\n');
  });
});
