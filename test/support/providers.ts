import { createHmac } from 'node:crypto';

/** Webhook payloads as each provider documents them, and their signatures as each provider signs. */
export const whatsappPayload = (from: string, id: string, text: string, name = 'Karl Weber') => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: 'WABA',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            contacts: [{ wa_id: from, profile: { name } }],
            messages: [{ from, id, timestamp: '1764064800', type: 'text', text: { body: text } }],
          },
        },
      ],
    },
  ],
});
export const metaSignature = (raw: string, appSecret: string) => `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;

/** Messenger's page webhook with one messaging entry; an echo (is_echo) is the page's own message. */
export const messengerPayload = (sender: string, recipient: string, message: Record<string, unknown>) => ({
  object: 'page',
  entry: [
    {
      id: 'PAGE',
      time: 1764064800000,
      messaging: [{ sender: { id: sender }, recipient: { id: recipient }, timestamp: 1764064800000, message }],
    },
  ],
});

export const linePayload = (userId: string, id: string, text: string) => ({
  destination: 'U0',
  events: [
    {
      type: 'message',
      mode: 'active',
      timestamp: 1764064800000,
      webhookEventId: `E${id}`,
      deliveryContext: { isRedelivery: false },
      source: { type: 'user', userId },
      replyToken: 'r',
      message: { id, type: 'text', text },
    },
  ],
});
export const lineSignature = (raw: string, channelSecret: string) => createHmac('sha256', channelSecret).update(raw).digest('base64');

export const telegramPayload = (chatId: number, messageId: number, text: string, firstName = 'Layla', languageCode = 'ar') => ({
  update_id: 1000 + messageId,
  message: {
    message_id: messageId,
    date: 1764064800,
    chat: { id: chatId, type: 'private' },
    from: { id: chatId, is_bot: false, first_name: firstName, language_code: languageCode },
    text,
  },
});

/** A raw MIME message, quoted-printable text. */
export const mimeMessage = (headers: { from: string; subject: string; messageId: string; inReplyTo?: string }, body: string) =>
  [
    `From: ${headers.from}`,
    'To: support@acme.example',
    `Subject: ${headers.subject}`,
    `Message-ID: <${headers.messageId}>`,
    ...(headers.inReplyTo ? [`In-Reply-To: <${headers.inReplyTo}>`, `References: <${headers.inReplyTo}>`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    body,
  ].join('\r\n');

/** Mailgun's forward of a raw message to a `messages.mime` URL, signed with the webhook signing key. */
export function mailgunForm(rawMime: string, signingKey: string, at: Date): FormData {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const token = `tok-${Math.random()}`;
  const form = new FormData();
  form.set('timestamp', timestamp);
  form.set('token', token);
  form.set(
    'signature',
    createHmac('sha256', signingKey)
      .update(timestamp + token)
      .digest('hex'),
  );
  form.set('body-mime', rawMime);
  return form;
}
