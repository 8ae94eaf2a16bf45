import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import {
  linePayload,
  lineSignature,
  mailgunForm,
  messengerPayload,
  metaSignature,
  mimeMessage,
  telegramPayload,
  whatsappPayload,
} from '../support/providers.ts';
import { call, scanAllTables, settledTables, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const meta = { appSecret: 'meta-app-secret-for-tests', verifyToken: 'verify-token-for-tests' };
const lineSecret = { channelSecret: 'line-channel-secret-for-tests' };
const telegramSecret = { secretToken: 'telegram_secret_token_for_tests' };

const metaSignatureOf = (raw: string, secret = meta.appSecret) => metaSignature(raw, secret);

describe('omnichannel intake webhooks on the local runtime', () => {
  let rt: TestRuntime;
  let deps: Deps;
  let supervisor: string;
  let agent: string;
  const post = (channel: string, body: unknown, headers: Record<string, string>) =>
    call(rt.url, 'POST', `/intake/acme/${channel}`, {
      raw: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
  const whatsapp = (payload: unknown, signature?: string) => {
    const raw = JSON.stringify(payload);
    return call(rt.url, 'POST', '/intake/acme/whatsapp', {
      raw,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature ?? metaSignatureOf(raw) },
    });
  };
  const ticketsOf = async (channel: string) =>
    (await call(rt.url, 'GET', '/v1/tickets?limit=100', { token: agent })).body.items.filter(
      (t: { channel: string }) => t.channel === channel,
    );

  beforeAll(async () => {
    rt = await startTestRuntime();
    deps = rt.endpoints[0]!.deps;
    supervisor = await rt.token('acme', ['supervisor']);
    agent = await rt.token('acme', ['agent']);
  }, 60_000);
  afterAll(() => rt?.stop());

  it('connects channels with their secrets sealed, and never shows them', async () => {
    const bad = await call(rt.url, 'PUT', '/v1/channels/whatsapp', {
      token: supervisor,
      body: { country: 'DE', secrets: { appSecret: meta.appSecret } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/secrets/verifyToken');
    for (const [channel, secrets] of [
      ['whatsapp', meta],
      ['facebook', meta],
      ['line', lineSecret],
      ['telegram', telegramSecret],
    ] as const) {
      const connected = await call(rt.url, 'PUT', `/v1/channels/${channel}`, { token: supervisor, body: { country: 'DE', secrets } });
      expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    }
    const listed = await call(rt.url, 'GET', '/v1/channels', { token: agent });
    expect(listed.body.items.find((c: { channel: string }) => c.channel === 'whatsapp')).toEqual({
      channel: 'whatsapp',
      country: 'DE',
      secrets: ['appSecret', 'verifyToken'],
    });
    const raw = await scanAllTables(deps);
    for (const secret of [meta.appSecret, meta.verifyToken, lineSecret.channelSecret, telegramSecret.secretToken]) {
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      expect(raw).not.toContain(secret);
    }
  });

  it("answers Meta's verification handshake only with the right verify token", async () => {
    const ok = await call(
      rt.url,
      'GET',
      `/intake/acme/whatsapp?hub.mode=subscribe&hub.verify_token=${meta.verifyToken}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toBe(1158201444);
    expect((await call(rt.url, 'GET', '/intake/acme/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1')).status).toBe(403);
    expect((await call(rt.url, 'GET', '/intake/nobody/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1')).status).toBe(404);
  });

  it('refuses a forged or missing signature with 401 and writes nothing', async () => {
    const before = await settledTables(deps);
    const payload = whatsappPayload('4915112345678', 'wamid.FORGED', 'Hallo');
    expect((await whatsapp(payload, metaSignatureOf(JSON.stringify(payload), 'not-the-secret'))).status).toBe(401);
    const unsigned = await post('whatsapp', payload, {});
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get('content-type')).toContain('application/problem+json');
    const signedOtherBody = metaSignatureOf(JSON.stringify(whatsappPayload('4915112345678', 'wamid.OTHER', 'Hallo')));
    expect((await whatsapp(payload, signedOtherBody)).status).toBe(401);
    expect((await post('line', linePayload('U1', '1', 'x'), { 'x-line-signature': 'AAAA' })).status).toBe(401);
    expect((await post('telegram', telegramPayload(1, 1, 'x'), { 'x-telegram-bot-api-secret-token': 'wrong_token_123' })).status).toBe(401);
    expect(await scanAllTables(deps)).toBe(before);
  });

  it('threads WhatsApp messages of one number into one ticket, once each, even when they arrive together', async () => {
    const first = await whatsapp(whatsappPayload('4915112345678', 'wamid.1', 'Hallo, mein Paket ist nicht angekommen. Können Sie helfen?'));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const again = await whatsapp(whatsappPayload('4915112345678', 'wamid.1', 'Hallo, mein Paket ist nicht angekommen. Können Sie helfen?'));
    expect(again.status).toBe(200);
    const burst = await Promise.all(
      [2, 3, 4, 5].map((n) => whatsapp(whatsappPayload('4915112345678', `wamid.${n}`, `Nachricht Nummer ${n} zu meiner Bestellung`))),
    );
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200]);

    const [ticket, ...others] = await ticketsOfEventually('whatsapp', 1);
    expect(others).toEqual([]);
    expect(ticket).toMatchObject({
      channel: 'whatsapp',
      language: 'de',
      requester: { phone: '+4915112345678', name: 'Karl Weber', country: 'DE', email: null },
    });
    const messages = await call(rt.url, 'GET', `/v1/tickets/${ticket.id}/messages`, { token: agent });
    expect(messages.body.items).toHaveLength(4);
    expect(messages.body.items.every((m: { from: string }) => m.from === 'requester')).toBe(true);
  });

  it('detects LINE Japanese and Telegram Arabic, right to left, each requester on their own ticket', async () => {
    const text = '荷物はどこですか？先週届くはずでした。';
    const lineRaw = JSON.stringify(linePayload('U4af4980629', '468789577898262530', text));
    const lineReply = await call(rt.url, 'POST', '/intake/acme/line', {
      raw: lineRaw,
      headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(lineRaw, lineSecret.channelSecret) },
    });
    expect(lineReply.status).toBe(200);
    const telegram = await post('telegram', telegramPayload(777000111, 42, 'أين طردي؟ كان من المفترض أن يصل الأسبوع الماضي'), {
      'x-telegram-bot-api-secret-token': telegramSecret.secretToken,
    });
    expect(telegram.status).toBe(200);
    const [lineTicket] = await ticketsOfEventually('line', 1);
    expect(lineTicket).toMatchObject({ language: 'ja', direction: 'ltr', description: text });
    const [telegramTicket] = await ticketsOfEventually('telegram', 1);
    expect(telegramTicket).toMatchObject({ language: 'ar', direction: 'rtl', requester: { name: 'Layla', locale: 'ar' } });
  });

  it('ignores what is not a message (Messenger echoes), and opens a new ticket once the last one is closed', async () => {
    const echo = messengerPayload('PAGE', 'PSID1', { mid: 'm.echo', text: 'Thanks!', is_echo: true });
    const raw = JSON.stringify(echo);
    expect(
      (
        await call(rt.url, 'POST', '/intake/acme/facebook', {
          raw,
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignatureOf(raw) },
        })
      ).body,
    ).toEqual({ received: 0 });

    const [ticket] = await ticketsOfEventually('whatsapp', 1);
    await call(rt.url, 'PATCH', `/v1/tickets/${ticket.id}`, { token: agent, body: { assignee: 'agent-1', status: 'solved' } });
    await call(rt.url, 'PATCH', `/v1/tickets/${ticket.id}`, { token: agent, body: { status: 'closed' } });
    expect((await whatsapp(whatsappPayload('4915112345678', 'wamid.6', 'Noch eine Frage zu einer anderen Bestellung'))).status).toBe(200);
    const tickets = await ticketsOfEventually('whatsapp', 2);
    expect(new Set(tickets.map((t: { requester: { subjectId: string } }) => t.requester.subjectId)).size).toBe(1);
  });

  it('shows one requester across channels (the 360 view) once an agent links their email to the WhatsApp number', async () => {
    const [whatsappTicket] = await ticketsOfEventually('whatsapp', 1);
    const karl = whatsappTicket.requester.subjectId;
    const link = (id: string, body: unknown) => call(rt.url, 'POST', `/v1/requesters/${id}/contacts`, { token: agent, body });
    expect((await link(karl, { kind: 'email', value: 'karl.weber@example.de' })).status).toBe(204);
    expect((await link(karl, { kind: 'email', value: 'not-an-email' })).status).toBe(400);
    expect((await link('01JDZ0000000000000000000ZZ', { kind: 'email', value: 'x@example.de' })).status).toBe(404);
    const [telegramTicket] = await ticketsOfEventually('telegram', 1);
    const taken = await link(karl, { kind: 'telegram', value: '777000111' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('contact_taken');
    expect(telegramTicket.requester.subjectId).not.toBe(karl);

    const byEmail = await call(rt.url, 'POST', '/v1/tickets', {
      token: agent,
      body: {
        subject: 'Rechnung',
        description: 'Bitte senden Sie mir die Rechnung für meine Bestellung.',
        channel: 'email',
        requester: { email: 'karl.weber@example.de', name: 'Karl Weber', country: 'DE', locale: 'de-DE', timeZone: 'Europe/Berlin' },
      },
    });
    expect(byEmail.body.requester.subjectId).toBe(karl);
    let view = await call(rt.url, 'GET', `/v1/requesters/${karl}`, { token: agent });
    for (let i = 0; i < 100 && view.body.channels?.email !== 1; i++)
      view = await call(rt.url, 'GET', `/v1/requesters/${karl}`, { token: agent });
    expect(view.body).toMatchObject({
      id: karl,
      name: 'Karl Weber',
      email: 'karl.weber@example.de',
      locale: 'de-DE',
      timeZone: 'Europe/Berlin',
      channels: { whatsapp: 2, email: 1 },
      languages: { de: 3 },
      truncated: false,
    });
    expect(view.body.tickets[0].id).toBe(byEmail.body.id);
    const auditor = await rt.token('acme', ['auditor']);
    expect((await call(rt.url, 'GET', `/v1/requesters/${karl}`, { token: auditor })).body.name).toMatch(/^pii:1:/);
    expect((await call(rt.url, 'GET', `/v1/requesters/${karl}`, { token: await rt.token('globex', ['agent']) })).status).toBe(404);
  });

  describe('inbound email (Mailgun-signed raw MIME)', () => {
    const signingKey = 'mailgun-webhook-signing-key-for-tests';
    const sender = '=?UTF-8?Q?Maria_R=C3=B6ssler?= <maria.roessler@example.de>';
    const subject = '=?UTF-8?B?UmVjaG51bmcgZsO8ciBtZWluZSBCZXN0ZWxsdW5n?=';
    const mime = (id: string, inReplyTo: string | undefined, body: string) =>
      mimeMessage({ from: sender, subject, messageId: `${id}@mail.example.de`, inReplyTo }, body);
    const deliver = (rawMime: string, options: { key?: string; ageSeconds?: number } = {}) =>
      fetch(`${rt.url}/intake/acme/email`, {
        method: 'POST',
        body: mailgunForm(rawMime, options.key ?? signingKey, new Date(Date.now() - (options.ageSeconds ?? 0) * 1000)),
      });
    const first = mime(
      'm1',
      undefined,
      'Guten Tag, ich habe f=C3=BCr meine Bestellung 4711 keine Rechnung erhalten. K=C3=B6nnen Sie sie schicken?',
    );
    const reply = mime('m2', 'm1@mail.example.de', 'Hallo nochmal, die Rechnung fehlt immer noch. Bitte um R=C3=BCckmeldung.');
    const other = mime('m3', undefined, 'Eine ganz andere Frage zu meinem Kundenkonto und der Adresse.');

    it('connects the channel, and refuses a forged, stale or unsigned delivery with 401, writing nothing', async () => {
      expect(
        (await call(rt.url, 'PUT', '/v1/channels/email', { token: supervisor, body: { country: 'DE', secrets: { signingKey } } })).status,
      ).toBe(201);
      const before = await settledTables(deps);
      expect((await deliver(first, { key: 'not-the-key' })).status).toBe(401);
      expect((await deliver(first, { ageSeconds: 20 * 60 })).status).toBe(401);
      expect(
        (await fetch(`${rt.url}/intake/acme/email`, { method: 'POST', body: new URLSearchParams({ 'body-mime': first }) })).status,
      ).toBe(401);
      expect(await scanAllTables(deps)).toBe(before);
    });

    it('opens a ticket from a new email, threads the reply onto it once, and a new thread onto a new ticket', async () => {
      expect((await deliver(first)).status).toBe(200);
      expect((await deliver(reply)).status).toBe(200);
      expect((await deliver(reply)).status).toBe(200);
      expect((await deliver(other)).status).toBe(200);
      const marias = async () =>
        (await ticketsOf('email')).filter((t: { requester: { email: string } }) => t.requester.email === 'maria.roessler@example.de');
      let tickets = await marias();
      for (let i = 0; i < 100 && tickets.length < 2; i++) tickets = await marias();
      expect(tickets).toHaveLength(2);
      const invoice = tickets.find((t: { subject: string }) => t.subject === 'Rechnung für meine Bestellung')!;
      expect(invoice).toMatchObject({
        language: 'de',
        description: 'Guten Tag, ich habe für meine Bestellung 4711 keine Rechnung erhalten. Können Sie sie schicken?',
        requester: { email: 'maria.roessler@example.de', name: 'Maria Rössler', country: 'DE' },
      });
      const messages = await call(rt.url, 'GET', `/v1/tickets/${invoice.id}/messages`, { token: agent });
      expect(messages.body.items.map((m: { body: string }) => m.body)).toEqual([
        'Hallo nochmal, die Rechnung fehlt immer noch. Bitte um Rückmeldung.',
      ]);
      expect(new Set(tickets.map((t: { requester: { subjectId: string } }) => t.requester.subjectId)).size).toBe(1);
      expect(await scanAllTables(deps)).not.toContain('m1@mail.example.de');
    });
  });

  it("imports app-store reviews: one ticket each, an edit added to it, a repeat ignored, another region's left out", async () => {
    const integrator = await rt.token('acme', ['integrator']);
    const review = {
      id: 'gp-1',
      author: 'Jonas K.',
      rating: 1,
      title: 'Stürzt ständig ab',
      text: 'Die App stürzt beim Bezahlen jedes Mal ab, seit dem letzten Update.',
      country: 'DE',
    };
    const importing = (reviews: unknown[]) =>
      call(rt.url, 'POST', '/v1/app-reviews', { token: integrator, body: { store: 'google_play', app: 'com.acme.shop', reviews } });
    expect(
      (
        await importing([
          review,
          {
            ...review,
            id: 'gp-2',
            author: 'Amy',
            rating: 5,
            title: undefined,
            text: 'Great app, fast delivery every time.',
            country: 'US',
          },
        ])
      ).body,
    ).toEqual({ imported: 1, updated: 0, unchanged: 0, otherRegion: ['gp-2'] });
    expect((await importing([review])).body).toEqual({ imported: 0, updated: 0, unchanged: 1, otherRegion: [] });
    expect(
      (await importing([{ ...review, rating: 2, text: 'Nach dem Update heute geht es etwas besser, aber noch nicht gut.' }])).body,
    ).toEqual({ imported: 0, updated: 1, unchanged: 0, otherRegion: [] });
    expect((await importing([{ ...review, rating: 9 }])).status).toBe(400);
    const [ticket, ...none] = await ticketsOfEventually('app_review', 1);
    expect(none).toEqual([]);
    expect(ticket).toMatchObject({
      subject: 'Stürzt ständig ab',
      priority: 'high',
      tags: ['app-review', 'google_play', 'rating-1'],
      language: 'de',
      requester: { name: 'Jonas K.', email: null, country: 'DE' },
    });
  });

  async function ticketsOfEventually(channel: string, count: number) {
    for (let i = 0; i < 100; i++) {
      const found = await ticketsOf(channel);
      if (found.length >= count) return found;
      await new Promise((done) => setTimeout(done, 50));
    }
    return ticketsOf(channel);
  }
});
