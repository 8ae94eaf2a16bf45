import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MediaApis } from '../../functions/shared/channels/channel-media.ts';
import recorded from '../fixtures/provider-media.json' with { type: 'json' };

export interface ProviderFiles {
  whatsapp: { mediaId: string; bytes: Buffer; token: string };
  line: { messageId: string; bytes: Buffer; contentType: string; token: string };
  telegram: { fileId: string; bytes: Buffer; botToken: string };
  messenger: { path: string; bytes: Buffer; contentType: string };
}

/**
 * The providers' media APIs on one local server, answering as recorded (test/fixtures/provider-media.json):
 * the right token gets the file, any other the provider's own error. Every request is kept, to check
 * what the adapter sent.
 */
export class ProviderMediaServer {
  readonly requests: Array<{ path: string; authorization: string | undefined }> = [];
  private server: Server | undefined;
  private base = '';

  constructor(private readonly files: ProviderFiles) {}

  async start(): Promise<MediaApis> {
    this.server = createServer((req, res) => {
      this.requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
      const answer = this.answer(req);
      res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': String(answer.body.byteLength) });
      res.end(answer.body);
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return {
      graph: `${this.base}/v21.0`,
      line: this.base,
      telegram: this.base,
      messengerOrigins: new RegExp(`^${this.base.replace(/[.]/g, '\\.')}$`),
    };
  }

  async stop() {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  messengerUrl() {
    return `${this.base}${this.files.messenger.path}`;
  }

  private answer(req: IncomingMessage): { status: number; contentType: string; body: Buffer } {
    const url = new URL(req.url ?? '/', this.base);
    const json = (status: number, value: unknown) => ({
      status,
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify(value)),
    });
    // WhatsApp gives file_size as a string, Telegram as a number (-1 in the recording).
    const fill = (value: unknown, bytes: Buffer) =>
      JSON.parse(
        JSON.stringify(value)
          .replaceAll('{base}', this.base)
          .replace('{size}', String(bytes.byteLength))
          .replace(':-1', `:${bytes.byteLength}`)
          .replace('{sha256}', createHash('sha256').update(bytes).digest('hex')),
      );
    const { whatsapp, line, telegram, messenger } = this.files;
    const bearer = req.headers.authorization;
    if (url.pathname === `/v21.0/${whatsapp.mediaId}`) {
      return bearer === `Bearer ${whatsapp.token}`
        ? json(200, fill(recorded.whatsappMedia, whatsapp.bytes))
        : json(401, recorded.whatsappUnauthorized);
    }
    if (url.pathname === '/whatsapp_business/attachments/') {
      return bearer === `Bearer ${whatsapp.token}`
        ? { status: 200, contentType: 'image/png', body: whatsapp.bytes }
        : json(401, recorded.whatsappUnauthorized);
    }
    if (url.pathname === `/v2/bot/message/${line.messageId}/content` && bearer === `Bearer ${line.token}`) {
      return { status: 200, contentType: line.contentType, body: line.bytes };
    }
    if (url.pathname.startsWith('/v2/bot/message/')) return json(404, recorded.lineNotFound);
    if (url.pathname === `/bot${telegram.botToken}/getFile` && url.searchParams.get('file_id') === telegram.fileId) {
      return json(200, fill(recorded.telegramGetFile, telegram.bytes));
    }
    if (url.pathname === `/file/bot${telegram.botToken}/documents/file_12.pdf`) {
      return { status: 200, contentType: 'application/octet-stream', body: telegram.bytes };
    }
    if (url.pathname.startsWith('/bot') || url.pathname.startsWith('/file/bot')) return json(401, recorded.telegramUnauthorized);
    if (url.pathname === messenger.path) return { status: 200, contentType: messenger.contentType, body: messenger.bytes };
    return json(404, { error: 'not recorded' });
  }
}
