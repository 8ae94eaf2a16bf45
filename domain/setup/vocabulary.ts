import type { Calendar } from '../calendar/calendar.ts';

/** A calendar as the tenant names it. */
export type CalendarEntry = Calendar & { id: string; name: string };

/** The channels whose providers call Meridian's intake webhooks. */
export const intakeChannels = ['whatsapp', 'facebook', 'line', 'telegram', 'email'] as const;
export type IntakeChannel = (typeof intakeChannels)[number];

/**
 * A provider account connected to the tenant: the secrets its webhooks are verified with (sealed
 * by the adapter, opaque here) and the country of requesters whose country the channel cannot tell.
 */
export interface ChannelConnection {
  channel: IntakeChannel;
  country: string;
  sealedSecrets: string;
}
