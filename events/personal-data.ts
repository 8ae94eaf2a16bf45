import type { TicketEventType } from '../domain/ticket/events.ts';

/** Where a payload holds personal data: these values are sealed before they are stored. `*` is every key of an object. */
export type FieldPath = readonly [string, ...string[]];

/**
 * Whose data key seals a value: the requester's (their contact details, shredded when the
 * requester is erased) or the ticket's own (what was written in it, shredded with the ticket by
 * a retention policy, or with every ticket of an erased requester).
 */
export type KeyScope = 'requester' | 'ticket';
export interface PersonalField {
  path: FieldPath;
  key: KeyScope;
}

const requesterFields: PersonalField[] = (['email', 'name', 'phone'] as const).map((name) => ({
  path: ['requester', name],
  key: 'requester',
}));
const content = (...names: string[]): PersonalField[] => names.map((name) => ({ path: [name], key: 'ticket' }));

/**
 * Every ticket event type, with its personal fields (by construction: a new event type must say).
 * Free text written by or about the requester counts: the subject line, the description, a message.
 */
export const personalFields: Record<TicketEventType, readonly PersonalField[]> = {
  TicketOpened: [...content('subject', 'description'), ...requesterFields],
  MessageAdded: [...content('body'), { path: ['attachments', '*', 'filename'], key: 'ticket' }],
  StatusChanged: [],
  TicketAssigned: [],
  PriorityChanged: [],
  TagsSet: [],
  // Every value under personal: the fields the tenant marked as personal data.
  FieldsSet: [{ path: ['personal', '*'], key: 'ticket' }],
  TicketErased: [],
  SlaTargetsSet: [],
  SatisfactionRated: content('comment'),
  NpsRated: content('comment'),
  SlaBreached: [],
  TicketEscalated: [],
  MergedInto: [],
  MergedTicketsTaken: [],
  TicketLinked: [],
  TicketUnlinked: [],
  SlaPolicyApplied: [],
  WebhookNotified: [],
  AutomationsPlanned: [],
  AutomationFired: [],
  RequesterRectified: requesterFields.map(({ path, key }) => ({ path: [path[1]!], key })),
};

/** The ticket view carries the same values as TicketOpened, and the survey comments, still sealed. */
export const ticketViewPersonalFields: readonly FieldPath[] = [
  ...personalFields.TicketOpened.map((field) => field.path),
  ['satisfaction', 'comment'],
  ['nps', 'comment'],
  // Custom fields: the personal ones are sealed; a value that is not sealed is shown as it is.
  ['fields', '*'],
];
