import { createHmac, timingSafeEqual } from 'node:crypto';
import PostalMime from 'postal-mime';
import * as z from 'zod';
import type { IntakeChannel } from '../../../domain/setup/vocabulary.ts';
import type { InboundMessage } from '../ports/inbound-message.ts';
import { type ChannelSecrets, channelSecrets } from './channel-secrets.ts';

/** A webhook call as it arrived. */
export interface Delivery {
  raw: Buffer;
  headers: Record<string, string | undefined>;
  now: Date;
}

export interface Provider<S> {
  /** What the tenant gives when connecting the channel. */
  secrets: z.ZodType<S>;
  /** Whether the delivery carries the provider's valid signature for these secrets. */
  verifies(delivery: Delivery, secrets: S): boolean | Promise<boolean>;
  /** The messages in a verified delivery; throws on a payload this provider does not send. */
  messages(delivery: Delivery): InboundMessage[] | Promise<InboundMessage[]>;
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
type MetaSecrets = ChannelSecrets<'whatsapp'>;
const jsonOf = ({ raw }: Delivery): unknown => JSON.parse(raw.toString('utf8'));
const metaVerifies = ({ raw, headers }: Delivery, { appSecret }: MetaSecrets) =>
  sameText(headers['x-hub-signature-256'], `sha256=${hmac(appSecret, raw).digest('hex')}`);
const metaHandshake = (query: Record<string, string | undefined>, { verifyToken }: MetaSecrets) =>
  query['hub.mode'] === 'subscribe' && sameText(query['hub.verify_token'], verifyToken) && query['hub.challenge']
    ? query['hub.challenge']
    : null;

const whatsappBody = z.object({
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          value: z.object({
            contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).optional() })).optional(),
            messages: z
              .array(z.object({ id: z.string(), from: z.string(), type: z.string(), text: z.object({ body: z.string() }).optional() }))
              .optional(),
          }),
        }),
      ),
    }),
  ),
});

const whatsapp: Provider<MetaSecrets> = {
  secrets: channelSecrets.whatsapp,
  verifies: metaVerifies,
  handshake: metaHandshake,
  messages: (delivery) =>
    whatsappBody.parse(jsonOf(delivery)).entry.flatMap(({ changes }) =>
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
        .array(
          z.object({
            sender: z.object({ id: z.string() }),
            message: z.object({ mid: z.string(), text: z.string().optional(), is_echo: z.boolean().optional() }).optional(),
          }),
        )
        .optional(),
    }),
  ),
});

const facebook: Provider<MetaSecrets> = {
  secrets: channelSecrets.facebook,
  verifies: metaVerifies,
  handshake: metaHandshake,
  messages: (delivery) =>
    messengerBody.parse(jsonOf(delivery)).entry.flatMap(({ messaging = [] }) =>
      // Echoes are the page's own messages; other entries (reads, deliveries) carry no message.
      messaging.flatMap(({ sender, message }) =>
        message && !message.is_echo
          ? [{ externalId: message.mid, contact: { kind: 'facebook', value: sender.id }, name: null, text: message.text ?? '[attachment]' }]
          : [],
      ),
    ),
};

/** LINE Messaging API: X-Line-Signature is the base64 HMAC-SHA256 of the raw body with the channel secret. */
const lineBody = z.object({
  events: z.array(
    z.object({
      type: z.string(),
      source: z.object({ userId: z.string().optional() }).optional(),
      message: z.object({ id: z.string(), type: z.string(), text: z.string().optional() }).optional(),
    }),
  ),
});
const line: Provider<ChannelSecrets<'line'>> = {
  secrets: channelSecrets.line,
  verifies: ({ raw, headers }, { channelSecret }) => sameText(headers['x-line-signature'], hmac(channelSecret, raw).digest('base64')),
  messages: (delivery) =>
    lineBody.parse(jsonOf(delivery)).events.flatMap((event) =>
      event.type === 'message' && event.message && event.source?.userId
        ? [
            {
              externalId: event.message.id,
              contact: { kind: 'line', value: event.source.userId },
              name: null,
              text: event.message.text ?? `[${event.message.type}]`,
            },
          ]
        : [],
    ),
};

/** Telegram Bot API: the secret_token given to setWebhook comes back in X-Telegram-Bot-Api-Secret-Token. */
const telegramBody = z.object({
  update_id: z.number(),
  message: z
    .object({
      message_id: z.number(),
      chat: z.object({ id: z.number() }),
      from: z
        .object({ first_name: z.string().optional(), last_name: z.string().optional(), language_code: z.string().optional() })
        .optional(),
      text: z.string().optional(),
    })
    .optional(),
});
const telegram: Provider<ChannelSecrets<'telegram'>> = {
  secrets: channelSecrets.telegram,
  verifies: ({ headers }, { secretToken }) => sameText(headers['x-telegram-bot-api-secret-token'], secretToken),
  messages: (delivery) => {
    const { message } = telegramBody.parse(jsonOf(delivery));
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

/**
 * Inbound email as Mailgun's routes forward it to a `messages.mime` URL: multipart form fields
 * timestamp, token, signature (hex HMAC-SHA256 of timestamp + token with the webhook signing key)
 * and body-mime, the raw message. A timestamp more than 15 minutes off is refused as a replay.
 */
const emailForm = z.object({
  timestamp: z.string().regex(/^\d{1,12}$/),
  token: z.string().min(1).max(256),
  signature: z.string().regex(/^[0-9a-f]{64}$/),
  'body-mime': z.string().min(1),
});
const formOf = async ({ raw, headers }: Delivery) => {
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': headers['content-type'] ?? '' } }).formData();
  return emailForm.parse(Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === 'string')));
};
const maxClockSkewMs = 15 * 60 * 1000;
/** Message-IDs as they appear in References: `<id@host>`, space separated. */
const messageIds = (text: string | undefined) => (text ?? '').match(/<[^<>\s]+>/g) ?? [];

const email: Provider<ChannelSecrets<'email'>> = {
  secrets: channelSecrets.email,
  verifies: async (delivery, { signingKey }) => {
    const form = await formOf(delivery).catch(() => null);
    if (!form || Math.abs(delivery.now.getTime() - Number(form.timestamp) * 1000) > maxClockSkewMs) return false;
    return sameText(
      form.signature,
      createHmac('sha256', signingKey)
        .update(form.timestamp + form.token)
        .digest('hex'),
    );
  },
  messages: async (delivery) => {
    const parsed = await PostalMime.parse((await formOf(delivery))['body-mime']);
    if (!parsed.from?.address || !parsed.messageId) throw new Error('an email needs From and Message-ID');
    const text =
      parsed.text?.trim() ||
      (parsed.html ?? '')
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim() ||
      '(no text)';
    return [
      {
        externalId: parsed.messageId,
        contact: { kind: 'email', value: parsed.from.address },
        name: parsed.from.name || null,
        text,
        subject: parsed.subject?.trim() || undefined,
        threadIds: [parsed.messageId, ...messageIds(parsed.inReplyTo), ...messageIds(parsed.references).reverse()],
      },
    ];
  },
};

export const providers: Partial<Record<IntakeChannel, Provider<unknown>>> = { whatsapp, facebook, line, telegram, email } as Record<
  string,
  Provider<unknown>
>;
