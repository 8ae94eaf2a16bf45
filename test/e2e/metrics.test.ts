import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildViews } from '../../functions/projector/rebuild.ts';
import {
  linePayload,
  lineSignature,
  mailgunForm,
  metaSignature,
  mimeMessage,
  telegramPayload,
  whatsappPayload,
} from '../support/providers.ts';
import { auditVerify, call, eventually, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** The scenario's clock: 25 November 2026, moved by the test from 08:00 UTC. */
let now = new Date('2026-11-25T08:00:00.000Z');
const at = (hhmm: string) => (now = new Date(`2026-11-25T${hhmm}:00.000Z`));

const secrets = {
  email: { signingKey: 'mailgun-signing-key-metrics' },
  whatsapp: { appSecret: 'meta-app-secret-metrics', verifyToken: 'verify-token-metrics' },
  telegram: { secretToken: 'telegram_token_metrics' },
  line: { channelSecret: 'line-secret-metrics' },
};

describe('a day of emails and chats in four languages, and its metrics computed by hand', () => {
  let rt: TestRuntime;
  let agent: string;
  const ids: Record<'alice' | 'karl' | 'layla' | 'yuki', string> = { alice: '', karl: '', layla: '', yuki: '' };

  const json = (channel: string, payload: unknown, header: (raw: string) => Record<string, string>) => {
    const raw = JSON.stringify(payload);
    return call(rt.url, 'POST', `/intake/acme/${channel}`, { raw, headers: { 'content-type': 'application/json', ...header(raw) } });
  };
  const whatsapp = (id: string, text: string) =>
    json('whatsapp', whatsappPayload('4915112345678', id, text), (raw) => ({
      'x-hub-signature-256': metaSignature(raw, secrets.whatsapp.appSecret),
    }));
  const email = (messageId: string, inReplyTo: string | undefined, body: string) =>
    fetch(`${rt.url}/intake/acme/email`, {
      method: 'POST',
      body: mailgunForm(
        mimeMessage({ from: 'Alice Brown <alice@example.co.uk>', subject: 'Where is my order?', messageId, inReplyTo }, body),
        secrets.email.signingKey,
        now,
      ),
    });
  const patch = (id: string, body: unknown) => call(rt.url, 'PATCH', `/v1/tickets/${id}`, { token: agent, body });
  const reply = (id: string) =>
    call(rt.url, 'POST', `/v1/tickets/${id}/messages`, { token: agent, body: { body: 'Thank you, we are on it.', from: 'agent' } });
  /** The ticket on a channel, once the queue projection shows it with its messages. */
  const ticketOn = async (channel: string, messages = 0) =>
    (
      await eventually(
        () => call(rt.url, 'GET', '/v1/tickets', { token: agent }),
        (r) => r.body.items.some((t: { channel: string; messageCount: number }) => t.channel === channel && t.messageCount === messages),
      )
    ).body.items.find((t: { channel: string }) => t.channel === channel);

  beforeAll(async () => {
    rt = await startTestRuntime({ clock: () => now });
    agent = await rt.token('acme', ['agent'], 'agent-1');
    const supervisor = await rt.token('acme', ['supervisor']);
    const put = async (path: string, body: unknown) =>
      expect((await call(rt.url, 'PUT', path, { token: supervisor, body })).status).toBe(201);
    for (const [channel, channelSecrets] of Object.entries(secrets))
      await put(`/v1/channels/${channel}`, { country: 'DE', secrets: channelSecrets });
    for (const team of ['london', 'berlin', 'dubai', 'tokyo']) await put(`/v1/teams/${team}`, { name: team });
    await put('/v1/routing-rules/german', { rank: 1, match: { language: 'de' }, team: 'berlin' });
    await put('/v1/routing-rules/arabic', { rank: 2, match: { language: 'ar' }, team: 'dubai' });
    await put('/v1/routing-rules/japanese', { rank: 3, match: { language: 'ja' }, team: 'tokyo' });
    await put('/v1/routing-rules/everyone-else', { rank: 99, match: {}, team: 'london' });
    await put('/v1/sla-policies/half-hour', { rank: 1, targets: { firstReply: 'PT30M' }, businessHours: false });
  }, 60_000);
  afterAll(() => rt?.stop());

  it('threads each conversation, detects its language and direction, and routes it', async () => {
    at('08:00');
    expect(
      (await email('a1@mail.example.co.uk', undefined, 'Hello, my order 1234 has not arrived yet. Could you check where it is?')).status,
    ).toBe(200);
    at('08:05');
    expect((await whatsapp('wamid.k1', 'Hallo, mein Paket ist nicht angekommen. Können Sie helfen?')).status).toBe(200);
    at('08:07');
    expect((await whatsapp('wamid.k2', 'Die Bestellnummer ist 4711, vielen Dank im Voraus.')).status).toBe(200);
    at('09:00');
    expect(
      (
        await json('telegram', telegramPayload(5551234, 1, 'أين طردي؟ كان من المفترض أن يصل الأسبوع الماضي'), () => ({
          'x-telegram-bot-api-secret-token': secrets.telegram.secretToken,
        }))
      ).status,
    ).toBe(200);
    at('09:30');
    expect(
      (
        await json('line', linePayload('Uyuki', '900001', '荷物はどこですか？先週届くはずでした。'), (raw) => ({
          'x-line-signature': lineSignature(raw, secrets.line.channelSecret),
        }))
      ).status,
    ).toBe(200);
    at('08:08'); // each ticket's own events stay in time order; the clock moves per conversation
    expect((await email('a2@mail.example.co.uk', 'a1@mail.example.co.uk', 'Any news on my order? I am still waiting for it.')).status).toBe(
      200,
    );

    const alice = await ticketOn('email', 1);
    const karl = await ticketOn('whatsapp', 1);
    const layla = await ticketOn('telegram');
    const yuki = await ticketOn('line');
    expect(alice).toMatchObject({ language: 'en', direction: 'ltr', team: 'london', messageCount: 1 });
    expect(karl).toMatchObject({ language: 'de', direction: 'ltr', team: 'berlin', messageCount: 1 });
    expect(layla).toMatchObject({ language: 'ar', direction: 'rtl', team: 'dubai' });
    expect(yuki).toMatchObject({ language: 'ja', direction: 'ltr', team: 'tokyo' });
    Object.assign(ids, { alice: alice.id, karl: karl.id, layla: layla.id, yuki: yuki.id });
  });

  it('measures first response, handle time, resolution, service level, CSAT and NPS exactly', async () => {
    // Alice: answered at 08:10 (600 s, within 30 min), solved 09:00 (3600 s); CSAT 5, NPS 10.
    at('08:10');
    await reply(ids.alice);
    at('09:40');
    await patch(ids.alice, { assignee: 'agent-1', status: 'solved' });
    // Karl: answered 08:50 (2700 s, late), pending 09:00-10:00, back at 10:00, solved 10:30: 8700 s less 3600 waiting = 5100 s.
    at('08:50');
    await reply(ids.karl);
    at('09:00');
    await patch(ids.karl, { assignee: 'agent-1', status: 'pending' });
    at('10:00');
    expect((await whatsapp('wamid.k3', 'Ich warte immer noch auf mein Paket, bitte melden Sie sich.')).status).toBe(200);
    at('10:30');
    await patch(ids.karl, { status: 'solved' });
    // Layla: answered 09:20 (1200 s, within); open. Yuki: no answer yet.
    at('09:20');
    await reply(ids.layla);
    at('11:00');
    const rate = (id: string, path: string, score: number) =>
      call(rt.url, 'POST', `/v1/tickets/${id}/${path}`, { token: agent, body: { score } });
    expect((await rate(ids.alice, 'satisfaction', 5)).status).toBe(201);
    expect((await rate(ids.alice, 'nps', 10)).status).toBe(201);
    expect((await rate(ids.karl, 'satisfaction', 2)).status).toBe(201);
    expect((await rate(ids.karl, 'nps', 6)).status).toBe(201);
    const early = await rate(ids.layla, 'satisfaction', 4);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('not_solved');

    const supervisor = await rt.token('acme', ['supervisor']);
    const metrics = (query: string) => call(rt.url, 'GET', `/v1/metrics?from=2026-11-25&to=2026-11-25${query}`, { token: supervisor });
    const settled = await eventually(
      () => metrics(''),
      (r) => r.body.total?.nps.responses === 2 && r.body.total.handleTime.count === 2,
    );
    // Alice solved at 09:40: 6000 s from 08:00 with no waiting.
    expect(settled.body.total).toEqual({
      key: {},
      tickets: 4,
      firstResponse: { count: 3, averageSeconds: (600 + 2700 + 1200) / 3, medianSeconds: 1200 },
      handleTime: { count: 2, averageSeconds: (6000 + 5100) / 2 },
      resolution: { solved: 2, rate: 0.5 },
      serviceLevel: { measured: 3, withinTarget: 2, rate: 2 / 3 },
      csat: { responses: 2, averageScore: 3.5, satisfiedRate: 0.5 },
      nps: { responses: 2, promoters: 1, passives: 0, detractors: 1, score: 0 },
    });
    const byTeam = (await metrics('&groupBy=team')).body.groups;
    expect(byTeam.map((g: { key: { team: string }; tickets: number }) => [g.key.team, g.tickets])).toEqual([
      ['berlin', 1],
      ['dubai', 1],
      ['london', 1],
      ['tokyo', 1],
    ]);
    expect(byTeam.find((g: { key: { team: string } }) => g.key.team === 'berlin')).toMatchObject({
      firstResponse: { averageSeconds: 2700 },
      serviceLevel: { rate: 0 },
      handleTime: { averageSeconds: 5100 },
    });
    const byChannelAndDay = (await metrics('&groupBy=channel,day')).body.groups;
    expect(byChannelAndDay.map((g: { key: object }) => g.key)).toEqual([
      { channel: 'email', day: '2026-11-25' },
      { channel: 'line', day: '2026-11-25' },
      { channel: 'telegram', day: '2026-11-25' },
      { channel: 'whatsapp', day: '2026-11-25' },
    ]);
    expect((await metrics('&groupBy=country')).body.groups).toHaveLength(1);

    // The views folded again from the events give the same numbers.
    const grouped = (await metrics('&groupBy=team,channel,country,day')).body;
    await rebuildViews(rt.endpoints[0]!.deps);
    expect((await metrics('&groupBy=team,channel,country,day')).body).toEqual(grouped);

    // Setup, channel connections, intake, SLA and survey events all sit in verified chains.
    const verified = await auditVerify(rt, rt.endpoints[0]!.deps);
    expect(verified.code, verified.stdout).toBe(0);
    expect((await call(rt.url, 'GET', '/v1/metrics?from=2026-11-26&to=2026-11-25', { token: supervisor })).status).toBe(400);
    expect((await call(rt.url, 'GET', '/v1/metrics?from=2026-11-25&to=2026-11-25&groupBy=mood', { token: supervisor })).status).toBe(400);
    expect((await call(rt.url, 'GET', '/v1/metrics?from=2026-11-25&to=2026-11-25', { token: agent })).status).toBe(403);
    expect((await call(rt.url, 'GET', '/v1/metrics?from=2026-11-26&to=2026-11-30', { token: supervisor })).body.total.tickets).toBe(0);
  });
});
