import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  /** When it arrived (Date.now()). */
  receivedAt: number;
  body: Record<string, unknown> & { seq: number; previousSeq: number | null; previousHash: string | null; type: string };
  raw: string;
  headers: IncomingMessage['headers'];
}

/**
 * A receiver on 127.0.0.1 as an integrator would write it: it verifies each delivery with the
 * standardwebhooks library (any of its secrets), answers as `answer` says (a status, or hang for
 * some milliseconds first), and keeps what it accepted.
 */
export class WebhookReceiver {
  readonly accepted: Received[] = [];
  readonly refused: string[] = [];
  requests = 0;
  secrets: string[] = [];
  answer: (request: number) => { status: number; hangMs?: number; headers?: Record<string, string> } = () => ({ status: 204 });
  private server?: Server;
  url = '';

  async start(path = '/hooks/meridian'): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
    return this;
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const receivedAt = Date.now();
    this.requests += 1;
    const { status, hangMs, headers } = this.answer(this.requests);
    if (hangMs) await new Promise((done) => setTimeout(done, hangMs));
    if (response.destroyed) return;
    if (status >= 200 && status < 300) {
      const verified = this.secrets.some((secret) => {
        try {
          new Webhook(secret).verify(raw, request.headers as Record<string, string>);
          return true;
        } catch {
          return false;
        }
      });
      if (!verified) {
        this.refused.push(raw);
        response.writeHead(401).end();
        return;
      }
      this.accepted.push({ id: String(request.headers['webhook-id']), receivedAt, body: JSON.parse(raw), raw, headers: request.headers });
    }
    response.writeHead(status, headers).end();
  }

  /** What was accepted, each webhook-id once (the first time), in arrival order. */
  unique(): Received[] {
    const seen = new Set<string>();
    return this.accepted.filter((received) => !seen.has(received.id) && seen.add(received.id));
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}
