import { fold as foldEvents } from '../decider.ts';
import type { FieldChanges, FieldValues } from './fields.ts';
import type { RecordedTicketEvent, Ticket, TicketState } from './state.ts';
import type { TicketStatus } from './vocabulary.ts';

/** Folds one recorded event into the ticket. Total: an event the state cannot take is a bug upstream. */
export function evolve(state: TicketState, event: RecordedTicketEvent): TicketState {
  if (event.type === 'TicketOpened') {
    const { ticketId, ...opened } = event.data;
    return {
      id: ticketId,
      tenantId: event.tenantId,
      ...opened,
      status: 'new',
      fields: {},
      assignee: null,
      team: null,
      messageCount: 0,
      lastMessageAt: null,
      closedAt: null,
      firstRepliedAt: null,
      firstReplyWithinSla: null,
      solvedAt: null,
      satisfaction: null,
      nps: null,
      awaitingReplySince: event.occurredAt,
      resolutionPauses: [],
      sla: null,
      createdAt: event.occurredAt,
      updatedAt: event.occurredAt,
      mergedInto: null,
      mergedFrom: [],
      links: [],
      erasedAt: null,
      statusChangedAt: event.occurredAt,
      lastRequesterMessageAt: event.occurredAt,
      lastAgentReplyAt: null,
      slaPolicyId: null,
      automations: { due: {}, fired: {} },
      version: event.version,
    };
  }
  if (!state) throw new Error(`${event.type} at version ${event.version} before TicketOpened`);
  const next: Ticket = { ...state, updatedAt: event.occurredAt, version: event.version };
  switch (event.type) {
    case 'MessageAdded':
      return {
        ...next,
        messageCount: state.messageCount + 1,
        lastMessageAt: event.occurredAt,
        ...(event.data.from === 'requester' ? { lastRequesterMessageAt: event.occurredAt } : {}),
        ...(event.data.from === 'agent' && event.data.public ? { lastAgentReplyAt: event.occurredAt } : {}),
        ...replyClock(state, event.data, event.occurredAt),
      };
    case 'StatusChanged':
      return {
        ...next,
        status: event.data.to,
        statusChangedAt: event.occurredAt,
        closedAt: event.data.to === 'closed' ? event.occurredAt : state.closedAt,
        solvedAt: state.solvedAt ?? (event.data.to === 'solved' ? event.occurredAt : null),
        resolutionPauses: pausesAfter(state.resolutionPauses, event.data.to, event.occurredAt),
      };
    case 'TicketAssigned':
      return { ...next, assignee: event.data.assignee, team: event.data.team };
    case 'PriorityChanged':
      return { ...next, priority: event.data.to };
    case 'TagsSet':
      return { ...next, tags: event.data.tags };
    case 'FieldsSet':
      return { ...next, fields: withChanges(state.fields, { ...event.data.values, ...event.data.personal }) };
    case 'TicketErased':
      return { ...next, erasedAt: event.occurredAt };
    case 'SlaTargetsSet':
      return { ...next, sla: { ...event.data, breaches: state.sla?.breaches ?? [] } };
    case 'SlaBreached': {
      const sla = state.sla ?? {
        policyId: null,
        firstReplyDueAt: null,
        nextReplyDueAt: null,
        resolutionDueAt: null,
        pausedSince: null,
        breaches: [],
      };
      return { ...next, sla: { ...sla, breaches: [...sla.breaches, { ...event.data, breachedAt: event.occurredAt }] } };
    }
    case 'SatisfactionRated':
      return { ...next, satisfaction: { ...event.data, at: event.occurredAt } };
    case 'NpsRated':
      return { ...next, nps: { ...event.data, at: event.occurredAt } };
    case 'TicketEscalated':
      return { ...next, team: event.data.toTeam, assignee: null };
    case 'MergedInto':
      return { ...next, mergedInto: event.data.target };
    case 'MergedTicketsTaken':
      return { ...next, mergedFrom: [...state.mergedFrom, ...event.data.sources] };
    case 'TicketLinked':
      return { ...next, links: [...state.links.filter((link) => link.ticketId !== event.data.ticketId), event.data] };
    case 'TicketUnlinked':
      return { ...next, links: state.links.filter((link) => link.ticketId !== event.data.ticketId) };
    case 'SlaPolicyApplied':
      return { ...next, slaPolicyId: event.data.policyId };
    case 'WebhookNotified':
      return next;
    case 'AutomationsPlanned':
      return {
        ...next,
        automations: {
          ...automationsOf(state),
          due: Object.fromEntries(event.data.due.map(({ automationId, dueAt }) => [automationId, dueAt])),
        },
      };
    case 'AutomationFired': {
      const { [event.data.automationId]: _, ...due } = automationsOf(state).due;
      return { ...next, automations: { due, fired: { ...automationsOf(state).fired, [event.data.automationId]: event.data.dueAt } } };
    }
    case 'RequesterRectified': {
      const { dsarId: _, ...corrections } = event.data;
      return { ...next, requester: { ...state.requester, ...corrections } };
    }
  }
}

/** A view stored before automations folds on without them. */
const automationsOf = (state: Ticket): Ticket['automations'] => state.automations ?? { due: {}, fired: {} };

/** The fields after a change: null clears (a personal value read after erasure is null too, and gone). */
function withChanges(fields: FieldValues, changes: FieldChanges): FieldValues {
  const next = { ...fields };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** A public agent reply answers the requester; a requester message starts a wait unless one runs. */
function replyClock(state: Ticket, message: { from: 'agent' | 'requester'; public: boolean }, at: string) {
  if (message.from === 'requester') return { awaitingReplySince: state.awaitingReplySince ?? at };
  if (!message.public) return {};
  if (state.firstRepliedAt !== null) return { awaitingReplySince: null };
  const due = state.sla?.firstReplyDueAt ?? null;
  return { firstRepliedAt: at, firstReplyWithinSla: due === null ? null : at <= due, awaitingReplySince: null };
}

/** The resolution clock stands while the ticket waits on the requester or a third party, and once solved. */
const stopsResolution = (status: TicketStatus) =>
  status === 'pending' || status === 'on_hold' || status === 'solved' || status === 'closed';

function pausesAfter(pauses: Ticket['resolutionPauses'], to: TicketStatus, at: string): Ticket['resolutionPauses'] {
  const open = pauses.at(-1)?.to === null;
  if (stopsResolution(to)) return open ? pauses : [...pauses, { from: at, to: null }];
  return open ? [...pauses.slice(0, -1), { from: pauses.at(-1)!.from, to: at }] : pauses;
}

/** The ticket its events leave, from `from` (a view's state, say) or the beginning. */
export const fold = (events: Iterable<RecordedTicketEvent>, from: TicketState = null): TicketState => foldEvents({ evolve }, events, from);
