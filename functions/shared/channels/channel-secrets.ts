import * as z from 'zod';
import type { IntakeChannel } from '../../../domain/setup/vocabulary.ts';

/** What a tenant gives when connecting each channel: the provider's secrets its webhooks are verified with. */
export const channelSecrets = {
  // Meta (WhatsApp Cloud API, Messenger): the app secret signs, the verify token answers the handshake;
  // WhatsApp's access token (optional) fetches the media a message names. Messenger's media URLs need none.
  whatsapp: z.strictObject({
    appSecret: z.string().min(8).max(256),
    verifyToken: z.string().min(8).max(256),
    accessToken: z.string().min(8).max(1024).optional(),
  }),
  facebook: z.strictObject({ appSecret: z.string().min(8).max(256), verifyToken: z.string().min(8).max(256) }),
  // LINE: the channel secret signs; the channel access token (optional) fetches media content.
  line: z.strictObject({ channelSecret: z.string().min(8).max(256), channelAccessToken: z.string().min(8).max(1024).optional() }),
  // Telegram allows 1-256 of A-Z, a-z, 0-9, _ and - in a secret_token; shorter than 8 is refused here.
  // The bot token (optional, <id>:<secret>) fetches files with getFile.
  telegram: z.strictObject({
    secretToken: z.string().regex(/^[A-Za-z0-9_-]{8,256}$/),
    botToken: z
      .string()
      .regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/)
      .optional(),
  }),
  email: z.strictObject({ signingKey: z.string().min(8).max(256) }),
} as const satisfies Record<IntakeChannel, z.ZodType>;

export type ChannelSecrets<C extends IntakeChannel> = z.infer<(typeof channelSecrets)[C]>;
