import type { lookup as dnsLookup } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutboundPolicy, postWebhook, refusalOf } from '../../functions/shared/platform/webhooks/outbound.ts';
import { isSigningSecret, newSigningSecret, webhookHeaders } from '../../functions/shared/platform/webhooks/standard-webhooks.ts';
import { nameResolver } from '../support/name-resolver.ts';

describe('Standard Webhooks signatures, checked with the standardwebhooks library', () => {
  it('verifies with the secret it was signed with, for any id and body; a changed body or another secret does not', () =>
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.json(), (id, body) => {
        const secret = newSigningSecret();
        const headers = webhookHeaders({ id, at: new Date(), body }, [secret]);
        expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
        expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
        expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
      }),
      { numRuns: 50 },
    ));

  it('while a secret is rotated, a receiver with either the new or the old one verifies', () => {
    const [next, previous] = [newSigningSecret(), newSigningSecret()];
    const body = JSON.stringify({ type: 'TicketOpened', seq: 7 });
    const headers = webhookHeaders({ id: 'msg_1', at: new Date(), body }, [next, previous]);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const secret of [next, previous]) expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
    expect(isSigningSecret(next)).toBe(true);
    expect(isSigningSecret('whsec_c2hvcnQ=')).toBe(false);
  });

  it('is refused by the library once the timestamp is older than its tolerance', () => {
    const secret = newSigningSecret();
    const body = '{}';
    const headers = webhookHeaders({ id: 'msg_2', at: new Date(Date.now() - 3600_000), body }, [secret]);
    expect(() => new Webhook(secret).verify(body, headers)).toThrow(/timestamp/i);
  });
});

describe('outbound calls to receivers (real HTTP on 127.0.0.1)', () => {
  const servers: Server[] = [];
  const received: Array<{ path: string; headers: IncomingMessage['headers']; body: string }> = [];
  let base = '';
  let elsewhere = '';
  let elsewhereHits = 0;

  const listen = async (handler: (request: IncomingMessage, response: ServerResponse) => void) => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    elsewhere = await listen((_, response) => {
      elsewhereHits += 1;
      response.end('reached');
    });
    base = await listen((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ path: request.url ?? '', headers: request.headers, body });
        if (request.url === '/big') response.end('x'.repeat(100_000));
        else if (request.url === '/redirect') response.writeHead(302, { location: `${elsewhere}/secret` }).end();
        else if (request.url === '/hang')
          return; // never answers
        else response.writeHead(204).end();
      });
    });
  });
  afterAll(() => {
    for (const server of servers) server.closeAllConnections(), server.close();
  });

  const local: OutboundPolicy = { mode: 'local', totalTimeoutMs: 1000, maxResponseBytes: 4096 };
  const aws: OutboundPolicy = { mode: 'aws', totalTimeoutMs: 1000 };

  it('delivers to the local receiver with its headers and body, and reads at most a few kilobytes of the answer', async () => {
    const body = JSON.stringify({ seq: 1 });
    const headers = webhookHeaders({ id: 'msg_a', at: new Date(), body }, [newSigningSecret()]);
    const sent = await postWebhook(`${base}/hooks?x=1`, { headers, body }, local);
    expect(sent).toMatchObject({ outcome: 'answered', status: 204 });
    expect(received.at(-1)).toMatchObject({
      path: '/hooks?x=1',
      body,
      headers: { 'webhook-id': 'msg_a', 'content-type': 'application/json' },
    });
    const big = await postWebhook(`${base}/big`, { headers, body }, local);
    expect(big).toMatchObject({ outcome: 'answered', status: 200 });
    expect(big.outcome === 'answered' && big.body.length).toBe(4096);
  });

  it('does not follow a redirect, and gives up on a receiver that does not answer in time', async () => {
    const message = { headers: {}, body: '{}' };
    expect(await postWebhook(`${base}/redirect`, message, local)).toMatchObject({ outcome: 'answered', status: 302 });
    expect(elsewhereHits).toBe(0);
    const hung = await postWebhook(`${base}/hang`, message, { ...local, totalTimeoutMs: 300 });
    expect(hung).toMatchObject({ outcome: 'timeout' });
    expect(hung.latencyMs).toBeGreaterThanOrEqual(290);
    expect(hung.latencyMs).toBeLessThan(1500);
  });

  it.each([
    ['http://127.0.0.1:8080/', 'scheme'],
    ['https://127.0.0.1/', 'address'],
    ['https://localhost/', 'address'],
    ['https://169.254.169.254/latest/meta-data/', 'address'],
    ['https://10.0.0.1/', 'address'],
    ['https://192.168.1.20/', 'address'],
    ['https://[::1]/', 'address'],
    ['https://[::ffff:127.0.0.1]/', 'address'],
    ['https://[fd00::1]/', 'address'],
    ['https://0.0.0.0/', 'address'],
    ['https://internal.example/', 'address'],
    ['https://user:secret@hooks.example/', 'credentials'],
    ['https://nowhere.example/', 'unresolvable'],
    ['ftp://hooks.example/', 'scheme'],
    ['not a url', 'url'],
  ])('in AWS, refuses %s (%s), and never connects to it', async (url, rule) => {
    const lookup = nameResolver({
      'internal.example': ['203.0.113.9', '10.0.0.1'],
      'hooks.example': ['93.184.216.34'],
      localhost: ['127.0.0.1'],
    });
    expect(await refusalOf(url, { ...aws, lookup })).toMatchObject({ rule });
    expect(await postWebhook(url, { headers: {}, body: '{}' }, { ...aws, lookup })).toMatchObject({ outcome: 'refused' });
  });

  it('checks the address again on connecting: a name re-pointed inside after the check is refused', async () => {
    let asked = 0;
    const rebinding = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      asked += 1;
      return nameResolver({ 'hooks.example': [asked === 1 ? '93.184.216.34' : '127.0.0.1'] })(
        hostname,
        options as never,
        callback as never,
      );
    }) as unknown as typeof dnsLookup;
    const sent = await postWebhook('https://hooks.example/', { headers: {}, body: '{}' }, { ...aws, lookup: rebinding });
    expect(sent).toMatchObject({ outcome: 'refused' });
    expect(sent.outcome === 'refused' && sent.reason).toContain('127.0.0.1');
    expect(asked).toBe(2);
  });

  it('locally, calls this machine over http but nothing else inside', async () => {
    expect(await refusalOf(`${base}/hooks`, local)).toBeNull();
    expect(await refusalOf('http://localhost:9/hooks', local)).toBeNull();
    expect(await refusalOf('http://10.0.0.1/hooks', local)).toMatchObject({ rule: 'scheme' });
    expect(await refusalOf('https://10.0.0.1/hooks', local)).toMatchObject({ rule: 'address' });
    expect(await refusalOf('https://169.254.169.254/', local)).toMatchObject({ rule: 'address' });
  });
});
