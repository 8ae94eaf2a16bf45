import * as z from 'zod';
import { type IntakeChannel, intakeChannels } from '../../../domain/setup/vocabulary.ts';
import { channelSecrets } from '../../shared/channels/channel-secrets.ts';
import { countrySchema, text } from './common.ts';

/** Provider connections and app-store imports. */

export const channelParams = z.strictObject({ channel: z.enum(intakeChannels) });
export const channelBody = z
  .strictObject({
    country: countrySchema.meta({ description: "The requesters' country (so their home region) for messages on this channel" }),
    secrets: z.record(z.string(), z.string()).meta({
      description:
        'whatsapp, facebook: {appSecret, verifyToken}; line: {channelSecret}; telegram: {secretToken}; email: {signingKey} (Mailgun webhook signing key)',
    }),
  })
  .meta({ id: 'ChannelConnectionInput' });
/** The body one channel takes, as the document shows it: the handler checks the secrets with the same schema. */
export const channelBodyOf = (channel: IntakeChannel) =>
  channelBody.extend({ secrets: channelSecrets[channel] }).meta({ id: `${channel[0]!.toUpperCase()}${channel.slice(1)}ConnectionInput` });
export const channelView = z
  .object({
    channel: z.enum(intakeChannels),
    country: z.string(),
    secrets: z.array(z.string()).meta({ description: 'The names of the secrets set; never their values' }),
  })
  .meta({ id: 'ChannelConnection' });

export const appReviewImport = z
  .strictObject({
    store: z.enum(['app_store', 'google_play']),
    app: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,200}$/)
      .meta({ description: 'Bundle or package id, e.g. com.acme.shop' }),
    reviews: z
      .array(
        z.strictObject({
          id: z.string().min(1).max(200).meta({ description: "The store's review id" }),
          author: text(200),
          rating: z.number().int().min(1).max(5),
          title: text(500).optional(),
          text: text(16 * 1024),
          language: z
            .string()
            .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
            .optional()
            .meta({ description: 'BCP 47 as the store gives it; detected otherwise' }),
          country: countrySchema.meta({ description: "The storefront country: the requester's home region" }),
        }),
      )
      .min(1)
      .max(100),
  })
  .meta({ id: 'AppReviewImport' });
