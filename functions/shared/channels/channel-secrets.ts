import * as z from 'zod';
import type { IntakeChannel } from '../../../domain/setup/vocabulary.ts';

/** What a tenant gives when connecting each channel: the provider's secrets its webhooks are verified with. */
export const channelSecrets = {
  // Meta (WhatsApp Cloud API, Messenger): the app secret signs, the verify token answers the handshake.
  whatsapp: z.strictObject({ appSecret: z.string().min(8).max(256), verifyToken: z.string().min(8).max(256) }),
  facebook: z.strictObject({ appSecret: z.string().min(8).max(256), verifyToken: z.string().min(8).max(256) }),
  line: z.strictObject({ channelSecret: z.string().min(8).max(256) }),
  // Telegram allows 1-256 of A-Z, a-z, 0-9, _ and - in a secret_token; shorter than 8 is refused here.
  telegram: z.strictObject({ secretToken: z.string().regex(/^[A-Za-z0-9_-]{8,256}$/) }),
  email: z.strictObject({ signingKey: z.string().min(8).max(256) }),
} as const satisfies Record<IntakeChannel, z.ZodType>;

export type ChannelSecrets<C extends IntakeChannel> = z.infer<(typeof channelSecrets)[C]>;
