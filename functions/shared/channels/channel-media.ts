import * as z from 'zod';
import { attachmentLimits } from '../../../domain/ticket/attachments.ts';
import { type ChannelMedia, type FetchedMedia, MediaUnavailable } from '../ports/channel-media.ts';
import type { MediaRef } from '../ports/inbound-message.ts';

/** Where each provider serves media: its API (and, for Messenger, the CDN hosts its webhooks name). */
export interface MediaApis {
  /** WhatsApp Cloud API: GET /{media-id} gives a short-lived URL, fetched with the same token. */
  graph: string;
  /** LINE Messaging API: GET /v2/bot/message/{messageId}/content. */
  line: string;
  /** Telegram Bot API: getFile gives a file_path under /file/bot<token>/. */
  telegram: string;
  /** Messenger attachment URLs: the origins they may have (https, Meta's CDN hosts). */
  messengerOrigins: RegExp;
}

export const providerMediaApis: MediaApis = {
  graph: 'https://graph.facebook.com/v21.0',
  line: 'https://api-data.line.me',
  telegram: 'https://api.telegram.org',
  messengerOrigins: /^https:\/\/([a-z0-9-]+\.)*(fbcdn\.net|fbsbx\.com)$/,
};

const whatsappMedia = z.object({ url: z.url(), mime_type: z.string().optional() });
const telegramFile = z.object({ ok: z.literal(true), result: z.object({ file_path: z.string() }) });

/**
 * Fetches what a webhook names, from the provider, with the connection's credentials: a bounded
 * read (the attachment size limit), a timeout, and no URL in any message (Telegram's carry the token).
 */
export function channelMedia(apis: MediaApis = providerMediaApis, timeoutMs = 10_000): ChannelMedia {
  const get = async (url: string, headers: Record<string, string> = {}): Promise<FetchedMedia> => {
    const response = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) }).catch(() => {
      throw new MediaUnavailable('the provider could not be reached in time');
    });
    if (!response.ok || !response.body) throw new MediaUnavailable(`the provider answered ${response.status}`);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > attachmentLimits.bytesPerFile) throw new MediaUnavailable('larger than an attachment may be');
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > attachmentLimits.bytesPerFile) throw new MediaUnavailable('larger than an attachment may be');
        chunks.push(chunk);
      }
    } catch (error) {
      throw error instanceof MediaUnavailable ? error : new MediaUnavailable('the download broke off');
    }
    return { bytes: Buffer.concat(chunks), contentType: response.headers.get('content-type') };
  };
  const json = async <T>(schema: z.ZodType<T>, url: string, headers: Record<string, string> = {}) => {
    const { bytes } = await get(url, headers);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch {
      throw new MediaUnavailable('the provider answered something else than JSON');
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new MediaUnavailable('the provider answered something else than media');
    return parsed.data;
  };
  const secret = (secrets: Record<string, unknown>, name: string) => (typeof secrets[name] === 'string' ? (secrets[name] as string) : null);

  return {
    async fetch(ref: MediaRef, secrets) {
      switch (ref.kind) {
        case 'whatsapp': {
          const token = secret(secrets, 'accessToken');
          if (!token) return null;
          const auth = { authorization: `Bearer ${token}` };
          const media = await json(whatsappMedia, `${apis.graph}/${encodeURIComponent(ref.mediaId)}`, auth);
          const fetched = await get(media.url, auth);
          return { ...fetched, contentType: media.mime_type ?? fetched.contentType };
        }
        case 'url': {
          if (!URL.canParse(ref.url) || !apis.messengerOrigins.test(new URL(ref.url).origin)) {
            throw new MediaUnavailable('not a Messenger media URL');
          }
          return get(ref.url);
        }
        case 'line': {
          const token = secret(secrets, 'channelAccessToken');
          if (!token) return null;
          return get(`${apis.line}/v2/bot/message/${encodeURIComponent(ref.messageId)}/content`, { authorization: `Bearer ${token}` });
        }
        case 'telegram': {
          const token = secret(secrets, 'botToken');
          if (!token) return null;
          const file = await json(telegramFile, `${apis.telegram}/bot${token}/getFile?file_id=${encodeURIComponent(ref.fileId)}`);
          return get(`${apis.telegram}/file/bot${token}/${file.result.file_path}`);
        }
      }
    },
  };
}
