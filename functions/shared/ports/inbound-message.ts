import type { Contact } from './subject-keys.ts';

/** One message a provider delivered, in Meridian's terms. */
export interface InboundMessage {
  /** The provider's id of the message: a redelivery carries the same one. */
  externalId: string;
  contact: Contact;
  name: string | null;
  text: string;
  locale?: string;
  /** Given by the source (an app store), instead of detected. */
  language?: string;
  /** The requester's country when the source knows it better than the connection. */
  country?: string;
  /** Email: its subject line, and the ids that thread it (its own Message-ID first, then what it replies to). */
  subject?: string;
  threadIds?: string[];
}
