import type { Channel, TicketPriority } from '../ticket/vocabulary.ts';

/** What an SLA measures: the first public reply, each next reply to the requester, and solving. */
export const slaMetrics = ['firstReply', 'nextReply', 'resolution'] as const;
export type SlaMetric = (typeof slaMetrics)[number];

/** Custom field conditions: per field key, the values that match (a multiselect matches on any of its options). */
export type FieldConditions = Record<string, Array<string | number | boolean>>;

export interface SlaPolicy {
  id: string;
  name: string;
  /** Policies are tried lowest rank first; the first that matches applies. */
  rank: number;
  /** Every condition given must hold; a list means any of its values; tags must all be on the ticket. */
  match: { priority?: TicketPriority[]; channel?: Channel[]; tags?: string[]; fields?: FieldConditions };
  /** ISO 8601 durations. */
  targets: Partial<Record<SlaMetric, string>>;
  /** On the assigned team's calendar; without a team or calendar, and when false, around the clock. */
  businessHours: boolean;
  onBreach: { raisePriority: boolean; handOff: boolean };
}

export interface Team {
  id: string;
  name: string;
  /** Null: on shift around the clock. */
  calendarId: string | null;
  /** The follow-the-sun chain: on a breach the ticket goes to the first of these on shift. */
  escalatesTo: string[];
}

/** Assigns new tickets to a team by channel, language (of the requester's locale) and country. */
export interface RoutingRule {
  id: string;
  rank: number;
  match: { channel?: Channel[]; language?: string[]; country?: string[]; fields?: FieldConditions };
  team: string;
}

/** A ticket's SLA as its view shows it. Due times are null when met, paused or not targeted. */
export interface TicketSla {
  policyId: string | null;
  firstReplyDueAt: string | null;
  nextReplyDueAt: string | null;
  resolutionDueAt: string | null;
  pausedSince: string | null;
  breaches: Array<{ metric: SlaMetric; dueAt: string; breachedAt: string }>;
}

export const dueField = {
  firstReply: 'firstReplyDueAt',
  nextReply: 'nextReplyDueAt',
  resolution: 'resolutionDueAt',
} as const satisfies Record<SlaMetric, keyof TicketSla>;
