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

/** The kinds of custom ticket field, as Zendesk has them. */
export const ticketFieldTypes = ['text', 'number', 'date', 'checkbox', 'dropdown', 'multiselect'] as const;
export type TicketFieldType = (typeof ticketFieldTypes)[number];
/** Only values that are text can be personal data: those are sealed with the ticket's key. */
export const personalFieldTypes: readonly TicketFieldType[] = ['text', 'date'];

/** A custom field the tenant defines for its tickets (order number, plan, device), by key. */
export interface TicketField {
  key: string;
  title: string;
  type: TicketFieldType;
  /** The choices of a dropdown or multiselect; null for the other types. */
  options: string[] | null;
  /** A new ticket must have it, and it cannot be cleared. */
  required: boolean;
  /** Sealed like the requester's name, and gone after erasure. */
  personalData: boolean;
}
