import type { RecordedTicketEvent, Ticket, TicketState } from './state.ts';

/** Folds one recorded event into the ticket. Total: an event the state cannot take is a bug upstream. */
export function evolve(state: TicketState, event: RecordedTicketEvent): TicketState {
  if (event.type === 'TicketOpened') {
    const { ticketId, ...opened } = event.data;
    return {
      id: ticketId,
      tenantId: event.tenantId,
      ...opened,
      status: 'new',
      assignee: null,
      team: null,
      messageCount: 0,
      lastMessageAt: null,
      closedAt: null,
      createdAt: event.occurredAt,
      updatedAt: event.occurredAt,
      erasedAt: null,
      version: event.version,
    };
  }
  if (!state) throw new Error(`${event.type} at version ${event.version} before TicketOpened`);
  const next: Ticket = { ...state, updatedAt: event.occurredAt, version: event.version };
  switch (event.type) {
    case 'MessageAdded':
      return { ...next, messageCount: state.messageCount + 1, lastMessageAt: event.occurredAt };
    case 'StatusChanged':
      return { ...next, status: event.data.to, closedAt: event.data.to === 'closed' ? event.occurredAt : state.closedAt };
    case 'TicketAssigned':
      return { ...next, assignee: event.data.assignee, team: event.data.team };
    case 'PriorityChanged':
      return { ...next, priority: event.data.to };
    case 'TagsSet':
      return { ...next, tags: event.data.tags };
    case 'TicketErased':
      return { ...next, erasedAt: event.occurredAt };
    case 'RequesterRectified': {
      const { dsarId: _, ...corrections } = event.data;
      return { ...next, requester: { ...state.requester, ...corrections } };
    }
  }
}

export const fold = (events: Iterable<RecordedTicketEvent>, from: TicketState = null): TicketState => {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
};
