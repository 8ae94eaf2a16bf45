import type { TicketEventType } from './ticket-events.ts';

/** Where a payload holds personal data: these values are sealed per data subject before they are stored. */
export type FieldPath = readonly [string, ...string[]];

const requesterFields: FieldPath[] = [['requester', 'email'], ['requester', 'name'], ['requester', 'phone']];

/**
 * Every ticket event type, with its personal fields (by construction: a new event type must say).
 * Free text written by or about the requester counts: the subject line, the description, a message.
 */
export const personalFields: Record<TicketEventType, readonly FieldPath[]> = {
  TicketOpened: [['subject'], ['description'], ...requesterFields],
  MessageAdded: [['body']],
  StatusChanged: [],
  TicketAssigned: [],
  PriorityChanged: [],
  TagsSet: [],
};

/** The ticket view carries the same values as TicketOpened, still sealed. */
export const ticketViewPersonalFields: readonly FieldPath[] = personalFields.TicketOpened;
