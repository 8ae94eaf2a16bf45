import type { RecordedEvent } from '../decider.ts';
import type { HomeRegion } from '../residency.ts';
import type { TicketSla } from '../sla/vocabulary.ts';
import type { TicketEvent } from './events.ts';
import type { FieldValues } from './fields.ts';
import type { Channel, Requester, ShownLinkKind, TicketPriority, TicketStatus } from './vocabulary.ts';

export interface Ticket {
  id: string;
  tenantId: string;
  /** Null once erased. */
  subject: string | null;
  description: string | null;
  channel: Channel;
  /** The description's language (BCP 47, detected; null if unknown) and direction. */
  language: string | null;
  direction: 'ltr' | 'rtl';
  requester: Requester;
  /** Where the requester's data lives; the ticket's events and views exist in this region only. */
  homeRegion: HomeRegion;
  status: TicketStatus;
  priority: TicketPriority;
  assignee: string | null;
  team: string | null;
  tags: string[];
  /** Custom field values by key (personal ones sealed where the ticket is read sealed). */
  fields: FieldValues;
  messageCount: number;
  lastMessageAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** When it was closed (closed is final): retention counts from here. */
  closedAt: string | null;
  /** The first public agent reply (the first-reply SLA target is met), and whether it came within that target. */
  firstRepliedAt: string | null;
  firstReplyWithinSla: boolean | null;
  /** When it was first solved. */
  solvedAt: string | null;
  /** The requester's survey answers (latest), comments sealed like the rest of the ticket's text. */
  satisfaction: { score: number; comment: string | null; at: string } | null;
  nps: { score: number; comment: string | null; at: string } | null;
  /** Since when the requester waits for a public agent reply (from creation, then each requester message). */
  awaitingReplySince: string | null;
  /** Stretches in which the resolution clock stood (pending, on hold, solved); the last may be open. */
  resolutionPauses: Array<{ from: string; to: string | null }>;
  /** The SLA clocks: null while no policy ever applied. */
  sla: TicketSla | null;
  /** The ticket this one was merged into (it is closed since), or null. */
  mergedInto: string | null;
  /** The tickets merged into this one, in the order they were taken in. */
  mergedFrom: string[];
  /** The tickets linked to this one, as this one shows them. */
  links: Array<{ ticketId: string; kind: ShownLinkKind }>;
  /** When the status last changed (when it was created, before), the requester last wrote (the description counts) and an agent last replied in public. */
  statusChangedAt: string;
  lastRequesterMessageAt: string;
  lastAgentReplyAt: string | null;
  /** The SLA policy a rule applied, which wins over the matching one; null: the first matching policy. */
  slaPolicyId: string | null;
  /** Automations: when each that could fire becomes true (its timer), and the due time each last fired for. */
  automations: { due: Record<string, string>; fired: Record<string, string> };
  /** When its data keys were destroyed (erasure or retention): its personal data no longer opens. */
  erasedAt: string | null;
  /** The stream version this state was folded up to: the ticket's ETag. */
  version: number;
}

/** A ticket's stream folds to nothing until TicketOpened. */
export type TicketState = Ticket | null;

export type RecordedTicketEvent = RecordedEvent<TicketEvent>;
