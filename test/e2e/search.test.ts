import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildSearchIndex } from '../../functions/search-indexer/rebuild.ts';
import { call, eventually, newTicket, scanAllTables, scanItems, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Every file under a folder, as text. */
async function folderText(dir: string): Promise<string> {
  const texts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) texts.push(await readFile(join(entry.parentPath, entry.name), 'latin1'));
  }
  return texts.join('\n');
}

describe('search that never stores plaintext, over HTTP', () => {
  let rt: TestRuntime;
  let agent: string;
  let auditor: string;
  const opened: Record<string, string> = {};
  const open = async (name: string, body: Record<string, unknown>, email = `${name}@example.de`) => {
    const created = await call(rt.url, 'POST', '/v1/tickets', {
      token: agent,
      body: newTicket({ requester: { email, name: 'Requester', country: 'DE' }, ...body }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    opened[name] = created.body.id;
    return created.body.id as string;
  };
  const search = async (query: string, token = agent) => {
    const reply = await call(rt.url, 'GET', `/v1/search?${query}`, { token });
    expect(reply.status, `${query}: ${JSON.stringify(reply.body)}`).toBe(200);
    return reply;
  };
  const ids = async (query: string, token = agent) => (await search(query, token)).body.items.map((t: { id: string }) => t.id) as string[];
  const found = (query: string, id: string) =>
    eventually(
      () => ids(query),
      (items) => items.includes(id),
      10_000,
    );

  beforeAll(async () => {
    rt = await startTestRuntime();
    agent = await rt.token('acme', ['agent'], 'agent-7');
    auditor = await rt.token('acme', ['auditor'], 'aud-1');
    expect(
      (await call(rt.url, 'PUT', '/v1/ticket-fields/device', { token: await rt.token('acme', ['supervisor']), body: { type: 'text' } }))
        .status,
    ).toBe(201);
    await open('german', { subject: 'Bestätigung fehlt', description: 'Die Zahlungsbestätigung für Quittungsnummer kam nie an.' });
    await open('chinese', { subject: '退款申请', description: '我想申请退款，订单没有到' });
    await open('japanese', { subject: '配送について', description: '注文した商品が届きません' });
    await open('thai', { subject: 'สินค้า', description: 'สินค้ายังไม่มาถึง' });
    await open('tagged', {
      subject: 'Printer',
      description: 'Jammed again',
      tags: ['hardware-zebra'],
      fields: { device: 'Xerographic Pelican 9000' },
    });
    const withMessage = await open('message', { subject: 'Login', description: 'Cannot log in' });
    await call(rt.url, 'POST', `/v1/tickets/${withMessage}/messages`, {
      token: agent,
      body: { body: 'Reset via the quartzlantern portal please', from: 'requester' },
    });
    await found('q=quartzlantern', withMessage);
  });
  afterAll(() => rt.stop());

  it('finds by every word, folded for case and diacritics', async () => {
    expect(await found('q=BESTATIGUNG', opened.german!)).toContain(opened.german);
    expect(await ids('q=bestätigung%20FEHLT')).toEqual([opened.german]);
    expect(await ids('q=bestätigung%20printer')).toEqual([]);
    expect(await ids('q=zahlungsbestatigung')).toEqual([opened.german]);
  });

  it('finds Chinese, Japanese and Thai words without spaces', async () => {
    expect(await found(`q=${encodeURIComponent('退款')}`, opened.chinese!)).toEqual([opened.chinese]);
    expect(await ids(`q=${encodeURIComponent('商品')}`)).toEqual([opened.japanese]);
    expect(await ids(`q=${encodeURIComponent('ถึง')}`)).toEqual([opened.thai]);
  });

  it('finds by messages, tags and text fields, not by the requester', async () => {
    expect(await ids('q=quartzlantern')).toEqual([opened.message]);
    expect(await ids('q=zebra')).toEqual([opened.tagged]);
    expect(await ids('q=pelican%209000')).toEqual([opened.tagged]);
    expect(await ids('q=requester')).toEqual([]);
  });

  it('pages newest first with a cursor, and filters by status', async () => {
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push(await open(`page${i}`, { subject: `Flamingo ${i}`, description: 'flamingo report' }));
    await eventually(
      () => ids('q=flamingo'),
      (items) => items.length === 3,
      10_000,
    );
    const page1 = await search('q=flamingo&limit=2');
    expect(page1.body.items.map((t: { id: string }) => t.id)).toEqual([made[2], made[1]]);
    const page2 = await search(`q=flamingo&limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((t: { id: string }) => t.id)).toEqual([made[0]]);
    expect(page2.body.nextCursor).toBeNull();
    const otherQuery = await call(rt.url, 'GET', `/v1/search?q=printer&cursor=${page1.body.nextCursor}`, { token: agent });
    expect(otherQuery.status).toBe(400);

    await call(rt.url, 'PATCH', `/v1/tickets/${made[1]}`, { token: agent, body: { assignee: 'agent-7', status: 'pending' } });
    const pending = await eventually(
      () => ids('q=flamingo&status=pending'),
      (items) => items.length === 1,
    );
    expect(pending).toEqual([made[1]]);
  });

  it('follows changes: a tag taken away stops finding the ticket', async () => {
    const id = await open('retagged', { subject: 'Scanner', description: 'broken', tags: ['ocelot'] });
    await found('q=ocelot', id);
    await call(rt.url, 'PATCH', `/v1/tickets/${id}`, { token: agent, body: { tags: ['lynx'] } });
    await found('q=lynx', id);
    expect(await ids('q=ocelot')).toEqual([]);
  });

  it('stores no word: a raw scan of the engine and of the data folder finds none', async () => {
    const deps = rt.endpoints[0]!.deps;
    const raw = await scanAllTables(deps);
    const searchTable = raw.split('\n').filter((line) => line.includes('"w#acme#') || line.includes('"t#acme#'));
    expect(searchTable.length).toBeGreaterThan(20);
    for (const word of ['quartzlantern', 'pelican', 'zahlungsbestatigung', 'zahlungsbestätigung', '退款', 'flamingo', 'ocelot'])
      expect(searchTable.join('\n'), word).not.toContain(word);
    expect(raw).not.toContain('quartzlantern');
    expect(await folderText(rt.dataDir)).not.toContain('quartzlantern');
  });

  it('another tenant finds nothing, an auditor gets sealed tickets, and a query without a word is refused', async () => {
    const stranger = await rt.token('globex', ['agent']);
    expect(await ids('q=quartzlantern', stranger)).toEqual([]);
    const sealed = await search('q=quartzlantern', auditor);
    expect(sealed.body.items[0].subject).toMatch(/^pii:1:/);
    const empty = await call(rt.url, 'GET', '/v1/search?q=%20%2C%2E', { token: agent });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0]).toMatchObject({ path: '/q', location: 'query' });
  });

  it('is rebuilt from the events', async () => {
    const deps = rt.endpoints[0]!.deps;
    const table = deps.config.searchTable!;
    for (const item of await scanItems(deps, table))
      await deps.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { pk: item.pk!, sk: item.sk! } }));
    expect(await ids('q=quartzlantern')).toEqual([]);
    expect(await rebuildSearchIndex(deps)).toBeGreaterThanOrEqual(Object.keys(opened).length);
    expect(await ids('q=quartzlantern')).toEqual([opened.message]);
    expect(await ids(`q=${encodeURIComponent('退款')}`)).toEqual([opened.chinese]);
  });

  it('erasure leaves no search hit', async () => {
    const email = 'gone@example.de';
    const id = await open('erased', { subject: 'Wombat invoice', description: 'wombat' }, email);
    await found('q=wombat', id);
    const dpo = await rt.token('acme', ['dpo']);
    const filed = await call(rt.url, 'POST', '/v1/dsar', { token: dpo, body: { type: 'erasure', law: 'gdpr', subject: { email } } });
    await eventually(
      () => call(rt.url, 'GET', `/v1/dsar/${filed.body.id}`, { token: dpo }),
      (reply) => reply.body.status === 'fulfilled',
      10_000,
    );
    const after = await eventually(
      () => ids('q=wombat'),
      (items) => items.length === 0,
      10_000,
    );
    expect(after).toEqual([]);
    // Every entry of the ticket is gone; what remains says only that it is indexed by nothing.
    const items = await scanItems(rt.endpoints[0]!.deps, rt.endpoints[0]!.deps.config.searchTable!);
    expect(items.filter((item) => item.sk?.S === id)).toEqual([]);
    const own = items.find((item) => item.pk?.S === `t#acme#${id}`);
    expect(own?.hashes).toBeUndefined();
    expect(items.filter((item) => item.pk?.S?.startsWith('t#acme#') && item.hashes).length).toBeGreaterThan(5);
  });
});
