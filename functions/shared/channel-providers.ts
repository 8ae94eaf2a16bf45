import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { IntakeChannel } from '../../domain/setup/support-setup.ts';
import type { Contact } from './personal-data/subject-keys.ts';

/** One message a provider delivered, in Meridian's terms. */
export interface InboundMessage {
  /** The provider's id of the message: a redelivery carries the same one. */
  externalId: string;
  contact: Contact;
  name: string | null;
  text: string;
  locale?: string;
}

export interface Provider<S> {
  /** What the tenant gives when connecting the channel. */
  secrets: z.ZodType<S>;
  /** Whether the raw body and headers carry the provider's valid signature for these secrets. */
  verifies(raw: Buffer, headers: Record<string, string | undefined>, secrets: S): boolean;
  messages(body: unknown): InboundMessage[];
  /** The GET subscription handshake (Meta): the challenge to echo, or null to refuse. */
  handshake?(query: Record<string, string | undefined>, secrets: S): string | null;
}

const sameText = (given: string | undefined, expected: string) => {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};
const hmac = (secret: string, raw: Buffer) => createHmac('sha256', secret).update(raw);

/** Meta (WhatsApp Cloud API, Messenger): X-Hub-Signature-256 is sha256=<hex HMAC of the raw body with the app secret>. */
const metaSecrets = z.strictObject({ appSecret: z.string().min(8).max(256), verifyToken: z.string().min(8).max(256) });
type MetaSecrets = z.infer<typeof metaSecrets>;
const metaVerifies = (raw: Buffer, headers: Record<string, string | undefined>, { appSecret }: MetaSecrets) =>
  sameText(headers['x-hub-signature-256'], `sha256=${hmac(appSecret, raw).digest('hex')}`);
const metaHandshake = (query: Record<string, string | undefined>, { verifyToken }: MetaSecrets) =>
  query['hub.mode'] === 'subscribe' && sameText(query['hub.verify_token'], verifyToken) && query['hub.challenge'] ? query['hub.challenge'] : null;

const whatsappBody = z.object({
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          value: z.object({
            contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).optional() })).optional(),
            messages: z.array(z.object({ id: z.string(), from: z.string(), type: z.string(), text: z.object({ body: z.string() }).optional() })).optional(),
          }),
        }),
      ),
    }),
  ),
});

const whatsapp: Provider<MetaSecrets> = {
  secrets: metaSecrets,
  verifies: metaVerifies,
  handshake: metaHandshake,
  messages: (body) =>
    whatsappBody.parse(body).entry.flatMap(({ changes }) =>
      changes.flatMap(({ value }) =>
        (value.messages ?? []).map((message) => ({
          externalId: message.id,
          // wa_id is the sender's phone number without the plus.
          contact: { kind: 'phone', value: `+${message.from}` },
          name: value.contacts?.find((c) => c.wa_id === message.from)?.profile?.name ?? null,
          text: message.text?.body ?? `[${message.type}]`,
        })),
      ),
    ),
};

const messengerBody = z.object({
  object: z.literal('page'),
  entry: z.array(
    z.object({
      messaging: z
        .array(z.object({ sender: z.object({ id: z.string() }), message: z.object({ mid: z.string(), text: z.string().optional(), is_echo: z.boolean().optional() }).optional() }))
        .optional(),
    }),
  ),
});

const facebook: Provider<MetaSecrets> = {
  secrets: metaSecrets,
  verifies: metaVerifies,
  handshake: metaHandshake,
  messages: (body) =>
    messengerBody.parse(body).entry.flatMap(({ messaging = [] }) =>
      // Echoes are the page's own messages; other entries (reads, deliveries) carry no message.
      messaging.flatMap(({ sender, message }) =>
        message && !message.is_echo ? [{ externalId: message.mid, contact: { kind: 'facebook', value: sender.id }, name: null, text: message.text ?? '[attachment]' }] : [],
      ),
    ),
};

/** LINE Messaging API: X-Line-Signature is the base64 HMAC-SHA256 of the raw body with the channel secret. */
const lineSecrets = z.strictObject({ channelSecret: z.string().min(8).max(256) });
const lineBody = z.object({
  events: z.array(
    z.object({
      type: z.string(),
      source: z.object({ userId: z.string().optional() }).optional(),
      message: z.object({ id: z.string(), type: z.string(), text: z.string().optional() }).optional(),
    }),
  ),
});
const line: Provider<z.infer<typeof lineSecrets>> = {
  secrets: lineSecrets,
  verifies: (raw, headers, { channelSecret }) => sameText(headers['x-line-signature'], hmac(channelSecret, raw).digest('base64')),
  messages: (body) =>
    lineBody.parse(body).events.flatMap((event) =>
      event.type === 'message' && event.message && event.source?.userId
        ? [{ externalId: event.message.id, contact: { kind: 'line', value: event.source.userId }, name: null, text: event.message.text ?? `[${event.message.type}]` }]
        : [],
    ),
};

/** Telegram Bot API: the secret_token given to setWebhook comes back in X-Telegram-Bot-Api-Secret-Token. */
const telegramSecrets = z.strictObject({ secretToken: z.string().regex(/^[A-Za-z0-9_-]{8,256}$/) });
const telegramBody = z.object({
  update_id: z.number(),
  message: z
    .object({
      message_id: z.number(),
      chat: z.object({ id: z.number() }),
      from: z.object({ first_name: z.string().optional(), last_name: z.string().optional(), language_code: z.string().optional() }).optional(),
      text: z.string().optional(),
    })
    .optional(),
});
const telegram: Provider<z.infer<typeof telegramSecrets>> = {
  secrets: telegramSecrets,
  verifies: (_raw, headers, { secretToken }) => sameText(headers['x-telegram-bot-api-secret-token'], secretToken),
  messages: (body) => {
    const { message } = telegramBody.parse(body);
    if (!message) return [];
    const name = [message.from?.first_name, message.from?.last_name].filter(Boolean).join(' ') || null;
    return [
      {
        // Message ids count per chat.
        externalId: `${message.chat.id}:${message.message_id}`,
        contact: { kind: 'telegram', value: String(message.chat.id) },
        name,
        text: message.text ?? '[attachment]',
        locale: message.from?.language_code,
      },
    ];
  },
};

export const providers: Partial<Record<IntakeChannel, Provider<unknown>>> = { whatsapp, facebook, line, telegram } as Record<string, Provider<unknown>>;
