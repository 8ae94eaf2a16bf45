import { Agent, request } from 'node:http';

/**
 * One keep-alive client for every benchmark run; main closes it once all have run. It closes a
 * socket idle for 4 s itself: left to the server's 5 s keep-alive timeout, a socket can be closed
 * under a request just sent on it, which fails with ECONNRESET (twice in a 10,800-request run).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 512, timeout: 4_000 });

export interface Answer {
  status: number;
  body: string;
}

export const send = (url: string, method: string, token: string, body?: unknown, extraHeaders: Record<string, string> = {}) =>
  new Promise<Answer>((done, fail) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...extraHeaders };
    if (text !== undefined)
      Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
    const req = request(url, { method, agent, headers }, (res) => {
      let answer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (answer += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: answer }));
    });
    req.on('error', fail);
    req.end(text);
  });

/** Ends the keep-alive sockets, so the process can exit. */
export const closeAgent = () => agent.destroy();
