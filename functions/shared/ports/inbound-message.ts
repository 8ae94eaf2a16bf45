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
  /** What came with the message: its bytes (an email's parts), or where the provider keeps them. */
  files?: InboundFile[];
}

/** Where a provider keeps a message's file, to be fetched with the connection's credentials. */
export type MediaRef =
  | { kind: 'whatsapp'; mediaId: string }
  /** Messenger: a CDN URL in the (signed) webhook itself. */
  | { kind: 'url'; url: string }
  | { kind: 'line'; messageId: string }
  | { kind: 'telegram'; fileId: string };

export interface InboundFile {
  /** As the sender named it, if the provider says. */
  filename: string | null;
  /** As the provider declares it; the bytes are checked against it. */
  contentType: string | null;
  /** The bytes, once they are here (an email carries them; media are fetched). */
  bytes?: Uint8Array;
  media?: MediaRef;
}
