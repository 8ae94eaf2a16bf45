import type { HomeRegion } from '../residency.ts';
import type { SlaMetric } from '../sla/vocabulary.ts';
import type { Attachment } from './attachments.ts';
import type { FieldChanges } from './fields.ts';
import type { Channel, MessageAuthor, Requester, ShownLinkKind, TicketPriority, TicketStatus } from './vocabulary.ts';

/** The language written in (BCP 47, detected; null when the text is too short to tell) and its direction. */
interface Localised {
  language: string | null;
  direction: 'ltr' | 'rtl';
}

/**
 * What happens to a ticket, as the domain decides and folds it. A personal value (subject, body,
 * comment...) is null when read after its data key was destroyed; nothing decides null.
 * Their stored form (schemas, versions, upcasters) is in events/ticket-events.ts.
 */
export type TicketEvent =
  | {
      type: 'TicketOpened';
      data: Localised & {
        ticketId: string;
        subject: string | null;
        description: string | null;
        channel: Channel;
        requester: Requester;
        homeRegion: HomeRegion;
        priority: TicketPriority;
        tags: string[];
      };
    }
  | {
      type: 'MessageAdded';
      data: Localised & {
        messageId: string;
        from: MessageAuthor;
        authorId: string;
        body: string | null;
        public: boolean;
        attachments: Attachment[];
      };
    }
  | { type: 'StatusChanged'; data: { from: TicketStatus; to: TicketStatus } }
  | { type: 'TicketAssigned'; data: { assignee: string | null; team: string | null } }
  | { type: 'PriorityChanged'; data: { from: TicketPriority; to: TicketPriority } }
  | { type: 'TagsSet'; data: { tags: string[] } }
  /** Custom field values set (null clears); personal ones (text, dates of personalData fields) apart, sealed with the ticket's key. */
  | { type: 'FieldsSet'; data: { values: FieldChanges; personal: Record<string, string | null> } }
  /** The ticket's data keys were destroyed: who asked (a DSAR or the retention policy) is the evidence. */
  | { type: 'TicketErased'; data: { reason: 'dsar_erasure' | 'retention'; dsarId: string | null; retentionDays: number | null } }
  /** Corrected contact details of the requester (sealed like the originals), from a rectification request. */
  | { type: 'RequesterRectified'; data: { dsarId: string; name?: string | null; email?: string | null; phone?: string | null } }
  /** Where the SLA clocks stand after a change: the matching policy and each target's due time. */
  | {
      type: 'SlaTargetsSet';
      data: {
        policyId: string | null;
        firstReplyDueAt: string | null;
        nextReplyDueAt: string | null;
        resolutionDueAt: string | null;
        pausedSince: string | null;
      };
    }
  /** The requester's satisfaction with the solved ticket, 1-5 (CSAT); the comment is theirs, sealed. */
  | { type: 'SatisfactionRated'; data: { score: number; comment: string | null } }
  /** How likely the requester is to recommend, 0-10 (NPS). */
  | { type: 'NpsRated'; data: { score: number; comment: string | null } }
  /** A target's timer fired and found it unmet. */
  | { type: 'SlaBreached'; data: { metric: SlaMetric; dueAt: string } }
  /** Handed to the next team of the follow-the-sun chain that is on shift. */
  | { type: 'TicketEscalated'; data: { fromTeam: string | null; toTeam: string; reason: 'sla_breach'; metric: SlaMetric } }
  /** Merged into another ticket (the target): closed, and every later write is refused with the target's id. */
  | { type: 'MergedInto'; data: { target: string } }
  /** Tickets merged into this one: their messages are read from here, in time order. */
  | { type: 'MergedTicketsTaken'; data: { sources: string[] } }
  /** Linked to another ticket; `kind` as this ticket shows it. Linking again with another kind replaces it. */
  | { type: 'TicketLinked'; data: { ticketId: string; kind: ShownLinkKind } }
  | { type: 'TicketUnlinked'; data: { ticketId: string } }
  /** An SLA policy chosen for the ticket (by a trigger, an automation or a macro) instead of the first matching one; null: matching again. */
  | { type: 'SlaPolicyApplied'; data: { policyId: string | null } }
  /** A rule asked for this webhook subscription to be told about the ticket: the change is delivered to it alone. */
  | {
      type: 'WebhookNotified';
      data: {
        webhookId: string;
        status: TicketStatus;
        priority: TicketPriority;
        team: string | null;
        assignee: string | null;
        tags: string[];
      };
    }
  /** When each automation that could fire on the ticket becomes true: a one-time timer per entry. */
  | { type: 'AutomationsPlanned'; data: { due: Array<{ automationId: string; dueAt: string }> } }
  /** An automation's timer found its conditions true: its actions' events follow, caused by it. */
  | { type: 'AutomationFired'; data: { automationId: string; dueAt: string } };

export type TicketEventType = TicketEvent['type'];
export type TicketEventOf<K extends TicketEventType> = Extract<TicketEvent, { type: K }>;
