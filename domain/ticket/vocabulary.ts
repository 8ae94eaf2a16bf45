/** The ticket vocabulary shared by the domain, the event schemas and the API. */
export const ticketStatuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];

export const channels = ['email', 'chat', 'phone', 'web', 'whatsapp', 'facebook', 'line', 'telegram', 'app_review'] as const;
export type Channel = (typeof channels)[number];

export const messageAuthors = ['agent', 'requester'] as const;
export type MessageAuthor = (typeof messageAuthors)[number];

export interface Requester {
  /** The data subject whose key seals this requester's personal data; null on tickets from before subjects. */
  subjectId: string | null;
  /** Null once erased: the value's data key was destroyed (so for every personal field). */
  email: string | null;
  name: string | null;
  /** E.164 */
  phone?: string | null;
  /** ISO 3166-1 alpha-2 */
  country: string;
  /** BCP 47 */
  locale?: string;
  /** IANA time zone */
  timeZone?: string;
}

export interface Actor {
  type: 'user' | 'system';
  id: string;
}
