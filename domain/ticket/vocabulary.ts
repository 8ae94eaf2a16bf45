/** The ticket vocabulary shared by the domain, the event schemas and the API. */
export const ticketStatuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];

export const channels = ['email', 'chat', 'phone', 'web', 'whatsapp', 'facebook', 'line', 'telegram', 'app_review'] as const;
export type Channel = (typeof channels)[number];

/** How one ticket relates to another, as an agent links them; each link shows on both tickets. */
export const linkKinds = ['related', 'duplicate', 'caused-by'] as const;
export type LinkKind = (typeof linkKinds)[number];
/** A link as a ticket shows it: the other side of a caused-by link reads "causes". */
export const shownLinkKinds = [...linkKinds, 'causes'] as const;
export type ShownLinkKind = (typeof shownLinkKinds)[number];
/** The reverse of a link, as the other ticket shows it. */
export const reverseLink = (kind: ShownLinkKind): ShownLinkKind =>
  kind === 'caused-by' ? 'causes' : kind === 'causes' ? 'caused-by' : kind;
/** How many tickets one ticket may link to. */
export const maxLinks = 100;

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
