import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

/**
 * Calls to URLs a tenant gave us (webhook receivers), which must never reach inside: no private,
 * loopback, link-local, reserved or cloud metadata address, checked on the addresses DNS gives when
 * a subscription names the URL, and again on every connection (request-filtering-agent checks the
 * address each socket is about to connect to, so a name re-pointed after the check is caught too).
 * No redirect is followed, a call has a connect and a total deadline, and at most a few kilobytes
 * of the answer are read.
 */
export interface OutboundPolicy {
  /** `aws`: https only, to public addresses. `local` (npm start): also http and https to this machine's loopback. */
  mode: 'aws' | 'local';
  connectTimeoutMs?: number;
  totalTimeoutMs?: number;
  maxResponseBytes?: number;
  /** Name resolution; node's by default (tests resolve names of their own). */
  lookup?: typeof dnsLookup;
}

export type UrlRule = 'url' | 'scheme' | 'credentials' | 'address' | 'unresolvable';

export interface UrlRefusal {
  rule: UrlRule;
  detail: string;
}

const loopback = ['127.0.0.1', '::1'];
const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why this URL may not be called, or null when it may (as the addresses its name has now). */
export async function refusalOf(text: string, policy: OutboundPolicy): Promise<UrlRefusal | null> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { rule: 'url', detail: 'not an absolute URL' };
  }
  if (url.username || url.password) return { rule: 'credentials', detail: 'a URL with a user name or password in it is not called' };
  const local = policy.mode === 'local' && loopbackNames.has(url.hostname);
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:'))
    return {
      rule: 'scheme',
      detail: policy.mode === 'local' ? 'https://, or http:// to localhost or 127.0.0.1' : 'only https:// URLs are called',
    };
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(hostOf(url), policy.lookup ?? dnsLookup);
  } catch {
    return { rule: 'unresolvable', detail: `${url.hostname} does not resolve` };
  }
  const inside = addresses.find(({ address }) => !allowed(address, policy));
  return inside
    ? {
        rule: 'address',
        detail: `${url.hostname} is ${inside.address}, a ${rangeOf(inside.address)} address: only public addresses are called`,
      }
    : null;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

const resolve = (host: string, lookup: typeof dnsLookup) =>
  new Promise<LookupAddress[]>((done, fail) =>
    lookup(host, { all: true }, (error, addresses) => (error ? fail(error) : done(addresses as LookupAddress[]))),
  );

const rangeOf = (address: string) => {
  const parsed = ipaddr.parse(address);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
    ? (parsed as ipaddr.IPv6).toIPv4Address().range()
    : parsed.range();
};

/** The same rule request-filtering-agent applies on connecting: unicast only, and this machine's loopback locally. */
const allowed = (address: string, policy: OutboundPolicy) =>
  (policy.mode === 'local' && loopback.includes(address)) || rangeOf(address) === 'unicast';

export type OutboundResult =
  | { outcome: 'answered'; status: number; latencyMs: number; body: string }
  | { outcome: 'refused' | 'timeout' | 'failed'; reason: string; latencyMs: number };

/** POSTs the body to the URL under the policy: the receiver's status (redirects included, never followed) or why there was none. */
export async function postWebhook(
  target: string,
  message: { headers: Record<string, string>; body: string },
  policy: OutboundPolicy,
): Promise<OutboundResult> {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  const refusal = await refusalOf(target, policy);
  if (refusal) return { outcome: 'refused', reason: `${refusal.rule}: ${refusal.detail}`, latencyMs: latencyMs() };
  const url = new URL(target);
  const https = url.protocol === 'https:';
  const filter = { allowIPAddressList: policy.mode === 'local' ? loopback : [], keepAlive: false };
  const agent = https ? new RequestFilteringHttpsAgent(filter) : new RequestFilteringHttpAgent(filter);
  const maxBytes = policy.maxResponseBytes ?? 4096;
  return new Promise<OutboundResult>((done) => {
    let settled = false;
    const finish = (result: OutboundResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      agent.destroy();
      done(result);
    };
    const call = (https ? httpsRequest : httpRequest)(
      {
        protocol: url.protocol,
        hostname: hostOf(url),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent,
        lookup: policy.lookup,
        timeout: policy.connectTimeoutMs ?? 5000,
        headers: {
          ...message.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(message.body)),
          'user-agent': 'Meridian-Webhooks/1',
        },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        let read = 0;
        const end = () =>
          finish({
            outcome: 'answered',
            status: answer.statusCode ?? 0,
            latencyMs: latencyMs(),
            body: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'),
          });
        answer.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          read += chunk.length;
          if (read >= maxBytes) {
            answer.destroy();
            end();
          }
        });
        answer.on('end', end);
        answer.on('error', end);
      },
    );
    const total = setTimeout(() => {
      call.destroy();
      finish({ outcome: 'timeout', reason: `no answer within ${policy.totalTimeoutMs ?? 10_000} ms`, latencyMs: latencyMs() });
    }, policy.totalTimeoutMs ?? 10_000);
    call.on('timeout', () => {
      call.destroy();
      finish({ outcome: 'timeout', reason: `no connection within ${policy.connectTimeoutMs ?? 5000} ms`, latencyMs: latencyMs() });
    });
    call.on('error', (error) => {
      const refused = /is not allowed/.test(error.message);
      finish({
        outcome: refused ? 'refused' : 'failed',
        reason: refused ? `address: ${error.message}` : error.message,
        latencyMs: latencyMs(),
      });
    });
    call.end(message.body);
  });
}
