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
              .array(
                z
                  .object({ id: z.string(), from: z.string(), type: z.string(), text: z.object({ body: z.string() }).optional() })
                  .catchall(z.unknown()),
              )
              .optional(),
          }),
        }),
      ),
    }),
  ),
});

/** A WhatsApp media message's object (image, document, audio, video, sticker), under the key its type names. */
const whatsappMedia = z.object({
  id: z.string(),
  mime_type: z.string().optional(),
  filename: z.string().optional(),
  caption: z.string().optional(),
});
const whatsappFile = (message: { type: string } & Record<string, unknown>) => {
  const media = whatsappMedia.safeParse(message[message.type]);
  return media.success ? media.data : null;
};

const whatsapp: Provider<MetaSecrets> = {
  secrets: channelSecrets.whatsapp,
  verifies: metaVerifies,
  handshake: metaHandshake,
  messages: (delivery) =>
    whatsappBody.parse(jsonOf(delivery)).entry.flatMap(({ changes }) =>
      changes.flatMap(({ value }) =>
        (value.messages ?? []).map((message) => {
          const media = whatsappFile(message);
          return {
            externalId: message.id,
            // wa_id is the sender's phone number without the plus.
            contact: { kind: 'phone', value: `+${message.from}` },
            name: value.contacts?.find((c) => c.wa_id === message.from)?.profile?.name ?? null,
            text: message.text?.body ?? media?.caption ?? `[${message.type}]`,
            ...(media
              ? {
                  files: [
                    {
                      filename: media.filename ?? null,
                      contentType: media.mime_type ?? null,
                      media: { kind: 'whatsapp' as const, mediaId: media.id },
                    },
                  ],
                }
              : {}),
          };
        }),
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
            message: z
              .object({
                mid: z.string(),
                text: z.string().optional(),
                is_echo: z.boolean().optional(),
                attachments: z
                  .array(z.object({ type: z.string(), payload: z.object({ url: z.string().optional() }).nullish() }))
                  .optional(),
              })
              .optional(),
          }),
        )
        .optional(),
    }),
  ),
});

const messengerFileTypes = new Set(['image', 'video', 'audio', 'file']);

const facebook: Provider<MetaSecrets> = {
  secrets: channelSecrets.facebook,
  verifies: metaVerifies,
  handshake: metaHandshake,
  messages: (delivery) =>
    messengerBody.parse(jsonOf(delivery)).entry.flatMap(({ messaging = [] }) =>
      // Echoes are the page's own messages; other entries (reads, deliveries) carry no message.
      messaging.flatMap(({ sender, message }) =>
        message && !message.is_echo
          ? [
              {
                externalId: message.mid,
                contact: { kind: 'facebook', value: sender.id },
                name: null,
                text: message.text ?? `[${message.attachments?.[0]?.type ?? 'attachment'}]`,
                // Files only: a shared link ('fallback') or a template carries a URL that is not one.
                files: (message.attachments ?? []).flatMap(({ type, payload }) =>
                  messengerFileTypes.has(type) && payload?.url
                    ? [{ filename: null, contentType: null, media: { kind: 'url' as const, url: payload.url } }]
                    : [],
                ),
              },
            ]
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
      message: z
        .object({
          id: z.string(),
          type: z.string(),
          text: z.string().optional(),
          fileName: z.string().optional(),
          // Media sent with LINE's own app is kept by LINE ('line'); 'external' media lives elsewhere.
          contentProvider: z.object({ type: z.string() }).optional(),
        })
        .optional(),
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
              files:
                event.message.contentProvider?.type === 'line' || event.message.type === 'file'
                  ? [
                      {
                        filename: event.message.fileName ?? null,
                        contentType: null,
                        media: { kind: 'line' as const, messageId: event.message.id },
                      },
                    ]
                  : [],
            },
          ]
        : [],
    ),
};

/** Telegram Bot API: the secret_token given to setWebhook comes back in X-Telegram-Bot-Api-Secret-Token. */
const telegramMedia = z.object({ file_id: z.string(), file_name: z.string().optional(), mime_type: z.string().optional() });
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
      caption: z.string().optional(),
      // Sizes of one photo, smallest first.
      photo: z.array(z.object({ file_id: z.string() })).optional(),
      document: telegramMedia.optional(),
      audio: telegramMedia.optional(),
      voice: telegramMedia.optional(),
      video: telegramMedia.optional(),
    })
    .optional(),
});
const telegramFiles = (message: NonNullable<z.infer<typeof telegramBody>['message']>) => {
  const photo = message.photo?.at(-1);
  const media = [message.document, message.audio, message.voice, message.video].filter((m) => m !== undefined);
  return [
    ...(photo ? [{ filename: null, contentType: 'image/jpeg', media: { kind: 'telegram' as const, fileId: photo.file_id } }] : []),
    ...media.map((m) => ({
      filename: m.file_name ?? null,
      contentType: m.mime_type ?? null,
      media: { kind: 'telegram' as const, fileId: m.file_id },
    })),
  ];
};
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
        text: message.text ?? message.caption ?? '[attachment]',
        locale: message.from?.language_code,
        files: telegramFiles(message),
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
        files: parsed.attachments.map((part) => ({
          filename: part.filename ?? null,
          contentType: part.mimeType || null,
          bytes: typeof part.content === 'string' ? Buffer.from(part.content, 'base64') : new Uint8Array(part.content),
        })),
        threadIds: [parsed.messageId, ...messageIds(parsed.inReplyTo), ...messageIds(parsed.references).reverse()],
      },
    ];
  },
};

export const providers: Partial<Record<IntakeChannel, Provider<unknown>>> = { whatsapp, facebook, line, telegram, email } as Record<
  string,
  Provider<unknown>
>;
