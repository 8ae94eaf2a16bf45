import type { ResidencyPolicy } from '../residency.ts';
import type { SlaMetric } from '../sla/vocabulary.ts';
import type { Attachment } from './attachments.ts';
import type { FieldChanges, FieldValues } from './fields.ts';
import type { Channel, MessageAuthor, Requester, ShownLinkKind, TicketPriority, TicketStatus } from './vocabulary.ts';

export type OpenTicket = {
  type: 'OpenTicket';
  ticketId: string;
  subject: string;
  description: string;
  channel: Channel;
  requester: Requester;
  priority: TicketPriority;
  tags: string[];
  /** The description's language as detected (BCP 47), or null. */
  language: string | null;
  /** Custom field values, checked against the tenant's ticket fields. */
  fields: FieldValues;
  /** Whether required fields must be given: by agents and integrators, not by a requester writing in on a channel. */
  requiredFieldsApply: boolean;
  /** The region deciding the command, and the tenant's residency policy: a ticket opens only in its home region. */
  region: string;
  residency: ResidencyPolicy;
};
export type AddMessage = {
  type: 'AddMessage';
  messageId: string;
  from: MessageAuthor;
  authorId: string;
  body: string;
  public: boolean;
  /** The body's language as detected (BCP 47), or null. */
  language: string | null;
  /** Files already stored, claimed for this message (none when absent). */
  attachments?: Attachment[];
};
export type ChangeStatus = { type: 'ChangeStatus'; to: TicketStatus };
/** An absent field keeps its value; null clears it. */
export type Assign = { type: 'Assign'; assignee?: string | null; team?: string | null };
export type ChangePriority = { type: 'ChangePriority'; to: TicketPriority };
export type SetTags = { type: 'SetTags'; tags: string[] };
/** Tags added to, or taken off, those the ticket has when the command is decided. */
export type AddTags = { type: 'AddTags'; tags: string[] };
export type RemoveTags = { type: 'RemoveTags'; tags: string[] };
/** Sets custom field values (null clears one); fields not named keep theirs. */
export type SetFields = { type: 'SetFields'; fields: FieldChanges };

/** Why a ticket's data is shredded: a data subject's erasure request, or the tenant's retention policy. */
export type ErasureReason =
  | { reason: 'dsar_erasure'; dsarId: string }
  /** Due once the ticket has been closed for `retentionDays` at `asOf` (the job's now). */
  | { reason: 'retention'; retentionDays: number; asOf: string };
/** Records that the ticket's data keys were destroyed: the evidence, and the end of the ticket's working life. */
export type EraseTicket = { type: 'EraseTicket' } & ErasureReason;
/** A data subject's corrected contact details (GDPR art. 16), asked for by a rectification request. */
export type RectifyRequester = { type: 'RectifyRequester'; dsarId: string; name?: string; email?: string; phone?: string };

/** A timer fired (now) for a target due at `dueAt`: a breach if the target is still that and unmet. */
export type BreachSla = { type: 'BreachSla'; metric: SlaMetric; dueAt: string };

/** The requester's answers to the surveys after solving: CSAT 1-5, NPS 0-10; a later answer replaces an earlier one. */
export type RateSatisfaction = { type: 'RateSatisfaction'; score: number; comment: string | null };
export type RateNps = { type: 'RateNps'; score: number; comment: string | null };

/** Closes this ticket as merged into another (the target); its messages are read from the target since. */
export type MergeInto = { type: 'MergeInto'; target: string };
/** Takes in tickets merged into this one (each source has recorded MergeInto first). */
export type TakeMerged = { type: 'TakeMerged'; sources: string[] };
/** Links this ticket to another; `kind` as this ticket shows it (the other side shows the reverse). */
export type LinkTicket = { type: 'LinkTicket'; ticketId: string; kind: ShownLinkKind };
export type UnlinkTicket = { type: 'UnlinkTicket'; ticketId: string };

/** A rule's choice of SLA policy (null: the first matching one again). */
export type ApplySlaPolicy = { type: 'ApplySlaPolicy'; policyId: string | null };
/** A rule's notification to one webhook subscription. */
export type NotifyWebhook = { type: 'NotifyWebhook'; webhookId: string };
/** An agent applies one of the tenant's macros: its actions as one unit, replies and notes written as the agent. */
export type ApplyMacro = { type: 'ApplyMacro'; macroId: string; agentId: string };
/** An automation's timer fired (now) for the moment it was planned to become true. */
export type RunAutomation = { type: 'RunAutomation'; automationId: string; dueAt: string };
/** Plans the ticket's automation timers again (after the tenant's automations changed). */
export type PlanAutomations = { type: 'PlanAutomations' };

export type TicketCommand =
  | OpenTicket
  | ApplySlaPolicy
  | NotifyWebhook
  | ApplyMacro
  | RunAutomation
  | PlanAutomations
  | AddMessage
  | ChangeStatus
  | Assign
  | ChangePriority
  | SetTags
  | AddTags
  | RemoveTags
  | SetFields
  | EraseTicket
  | RectifyRequester
  | BreachSla
  | RateSatisfaction
  | RateNps
  | MergeInto
  | TakeMerged
  | LinkTicket
  | UnlinkTicket;
