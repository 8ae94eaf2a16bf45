import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderMediaServer } from '../support/provider-media.ts';
import {
  linePayload,
  lineSignature,
  mailgunForm,
  messengerPayload,
  metaSignature,
  telegramPayload,
  whatsappPayload,
} from '../support/providers.ts';
import { call, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0', 'latin1'), Buffer.alloc(64)]);
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const exe = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(62), Buffer.from('PE\0\0', 'latin1'), Buffer.alloc(64)]);

const meta = { appSecret: 'meta-app-secret-for-files', verifyToken: 'verify-token-for-files' };
const whatsappToken = 'EAAG-recorded-access-token';
const lineSecret = 'line-channel-secret-files';
const lineToken = 'line-channel-access-token';
const telegramSecret = 'telegram_secret_files';
const botToken = '7001234567:AAHrecorded-bot-token-for-tests0';

const providers = new ProviderMediaServer({
  whatsapp: { mediaId: '1037543291543636', bytes: png, token: whatsappToken },
  line: { messageId: '500100200', bytes: jpeg, contentType: 'image/jpeg', token: lineToken },
  telegram: { fileId: 'BQACAgIAAxkBAAIBQ2dh', bytes: pdf, botToken },
  messenger: { path: '/v/t1.15752-9/photo.png', bytes: png, contentType: 'image/png' },
});

describe('files that come with inbound messages', () => {
  let rt: TestRuntime;
  let agent: string;
  let supervisor: string;

  const connect = (channel: string, secrets: Record<string, string>) =>
    call(rt.url, 'PUT', `/v1/channels/${channel}`, { token: supervisor, body: { country: 'DE', secrets } });
  const deliver = (channel: string, payload: unknown, headers: (raw: string) => Record<string, string>) => {
    const raw = JSON.stringify(payload);
    return call(rt.url, 'POST', `/intake/acme/${channel}`, { raw, headers: { 'content-type': 'application/json', ...headers(raw) } });
  };
  const whatsappMedia = (from: string, id: string, media: Record<string, unknown>) => {
    const payload = whatsappPayload(from, id, '');
    payload.entry[0]!.changes[0]!.value.messages = [{ from, id, timestamp: '1764064800', type: 'image', image: media } as never];
    return deliver('whatsapp', payload, (raw) => ({ 'x-hub-signature-256': metaSignature(raw, meta.appSecret) }));
  };
  /** The files on a channel's newest ticket, and the text of its messages. */
  const newestOf = async (channel: string) => {
    const tickets = (await call(rt.url, 'GET', '/v1/tickets?limit=100', { token: agent })).body.items.filter(
      (t: { channel: string }) => t.channel === channel,
    );
    const ticket = tickets.at(-1);
    const messages = (await call(rt.url, 'GET', `/v1/tickets/${ticket.id}/messages`, { token: agent })).body.items;
    return { ticket, messages, files: messages.flatMap((m: { attachments: unknown[] }) => m.attachments) };
  };
  const bytesOf = async (id: string) =>
    Buffer.from(await (await fetch(`${rt.url}/v1/attachments/${id}`, { headers: { authorization: `Bearer ${agent}` } })).arrayBuffer());
  const eventuallyNewest = async (channel: string, accept: (n: Awaited<ReturnType<typeof newestOf>>) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const newest = await newestOf(channel).catch(() => null);
      if (newest && accept(newest)) return newest;
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error(`no ${channel} ticket as expected`);
  };

  beforeAll(async () => {
    rt = await startTestRuntime({ mediaApis: await providers.start() });
    agent = await rt.token('acme', ['agent']);
    supervisor = await rt.token('acme', ['supervisor']);
  }, 60_000);
  afterAll(async () => {
    await rt?.stop();
    await providers.stop();
  });

  it("keeps a WhatsApp photo, fetched with the connection's access token, on the ticket it opens", async () => {
    expect((await connect('whatsapp', { ...meta, accessToken: whatsappToken })).status).toBe(201);
    const sent = await whatsappMedia('4915112345678', 'wamid.PHOTO1', {
      id: '1037543291543636',
      mime_type: 'image/png',
      caption: 'Broken on arrival',
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const { ticket, messages, files } = await eventuallyNewest('whatsapp', (n) => n.files.length === 1);
    expect(ticket.description).toBe('Broken on arrival');
    expect(messages).toEqual([expect.objectContaining({ from: 'requester', body: '', attachments: files })]);
    expect(files[0]).toMatchObject({ filename: 'attachment-1', contentType: 'image/png', size: png.length });
    expect((await bytesOf(files[0].id)).equals(png)).toBe(true);
    // Both requests carried the connection's token: the media's URL, then the file.
    const asked = providers.requests.filter((r) => r.path.includes('1037543291543636') || r.path.includes('whatsapp_business'));
    expect(asked.map((r) => r.authorization)).toEqual([`Bearer ${whatsappToken}`, `Bearer ${whatsappToken}`]);
    // Meta redelivers: nothing is fetched again, and the ticket keeps one message with the file.
    const again = await whatsappMedia('4915112345678', 'wamid.PHOTO1', {
      id: '1037543291543636',
      mime_type: 'image/png',
      caption: 'Broken on arrival',
    });
    expect(again.status).toBe(200);
    expect(providers.requests).toHaveLength(asked.length);
    expect((await newestOf('whatsapp')).files).toHaveLength(1);
  });

  it('keeps the message and names the file when it cannot be fetched or is refused', async () => {
    const sent = await whatsappMedia('4915112345679', 'wamid.PHOTO2', { id: 'no-such-media', mime_type: 'image/png' });
    expect(sent.status).toBe(200);
    const { ticket, files } = await eventuallyNewest('whatsapp', (n) => n.ticket.description.includes('not kept'));
    expect(files).toEqual([]);
    expect(ticket.description).toBe('[image]\n[attachment-1: not kept (the provider did not give it)]');
  });

  it('fetches LINE content and Telegram files with their tokens, and takes Messenger CDN files', async () => {
    expect((await connect('line', { channelSecret: lineSecret, channelAccessToken: lineToken })).status).toBe(201);
    const text = linePayload('U4af4980629', '500100200', '');
    const image = { id: '500100200', type: 'image', contentProvider: { type: 'line' } };
    const line = { ...text, events: [{ ...text.events[0]!, message: image }] };
    expect((await deliver('line', line, (raw) => ({ 'x-line-signature': lineSignature(raw, lineSecret) }))).status).toBe(200);
    const fromLine = await eventuallyNewest('line', (n) => n.files.length === 1);
    expect(fromLine.files[0]).toMatchObject({ contentType: 'image/jpeg', size: jpeg.length });
    expect((await bytesOf(fromLine.files[0].id)).equals(jpeg)).toBe(true);

    expect((await connect('telegram', { secretToken: telegramSecret, botToken })).status).toBe(201);
    const telegram = telegramPayload(777001, 12, '');
    const { text: _, ...withoutText } = telegram.message;
    const document = {
      file_id: 'BQACAgIAAxkBAAIBQ2dh',
      file_unique_id: 'AgADsFUAAiV8yUk',
      file_name: 'Rechnung 4711.pdf',
      mime_type: 'application/pdf',
    };
    const withDocument = { ...telegram, message: { ...withoutText, caption: 'Die Rechnung', document } };
    expect((await deliver('telegram', withDocument, () => ({ 'x-telegram-bot-api-secret-token': telegramSecret }))).status).toBe(200);
    const fromTelegram = await eventuallyNewest('telegram', (n) => n.files.length === 1);
    expect(fromTelegram.ticket.description).toBe('Die Rechnung');
    expect(fromTelegram.files[0]).toMatchObject({ filename: 'Rechnung 4711.pdf', contentType: 'application/pdf', size: pdf.length });
    expect((await bytesOf(fromTelegram.files[0].id)).equals(pdf)).toBe(true);

    expect((await connect('facebook', meta)).status).toBe(201);
    const messenger = messengerPayload('PSID-files', 'PAGE', {
      mid: 'm_files_1',
      attachments: [{ type: 'image', payload: { url: providers.messengerUrl() } }],
    });
    expect((await deliver('facebook', messenger, (raw) => ({ 'x-hub-signature-256': metaSignature(raw, meta.appSecret) }))).status).toBe(
      200,
    );
    const fromMessenger = await eventuallyNewest('facebook', (n) => n.files.length === 1);
    expect(fromMessenger.ticket.description).toBe('[image]');
    expect((await bytesOf(fromMessenger.files[0].id)).equals(png)).toBe(true);
  });

  it("keeps an email's attachments, and names the one it refuses", async () => {
    const signingKey = 'mailgun-signing-key-for-files';
    expect((await connect('email', { signingKey })).status).toBe(201);
    const boundary = 'b1_files';
    const mime = [
      'From: Jonas Berg <jonas.berg@example.de>',
      'To: support@acme.example',
      'Subject: Invoice attached',
      'Message-ID: <files-1@mail.example.de>',
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Please find the invoice attached.',
      `--${boundary}`,
      // Many mailers name no type for a PDF: its bytes say what it is.
      'Content-Type: application/octet-stream; name="invoice.pdf"',
      'Content-Disposition: attachment; filename="invoice.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      pdf.toString('base64'),
      `--${boundary}`,
      'Content-Type: application/octet-stream; name="setup.exe"',
      'Content-Disposition: attachment; filename="setup.exe"',
      'Content-Transfer-Encoding: base64',
      '',
      exe.toString('base64'),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const sent = await fetch(`${rt.url}/intake/acme/email`, { method: 'POST', body: mailgunForm(mime, signingKey, new Date()) });
    expect(sent.status).toBe(200);
    const { ticket, files } = await eventuallyNewest('email', (n) => n.files.length === 1);
    expect(ticket.description).toBe('Please find the invoice attached.\n[setup.exe: not kept (type-not-allowed)]');
    expect(files[0]).toMatchObject({ filename: 'invoice.pdf', contentType: 'application/pdf', size: pdf.length });
    expect((await bytesOf(files[0].id)).equals(pdf)).toBe(true);
  });
});
