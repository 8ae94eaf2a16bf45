import { causeOf } from '../automation/rules.ts';
import { accept, type Caused, type DecideContext, type Decision, refuse } from '../decider.ts';
import { homeRegionOf } from '../residency.ts';
import { closedBy } from '../retention/retention-policy.ts';
import type { SupportSetup } from '../setup/support-setup.ts';
import { breachDue, nextPriority, routeTicket, teamOnShift } from '../sla/sla.ts';
import type { RoutingRule } from '../sla/vocabulary.ts';
import type {
  AddMessage,
  Assign,
  BreachSla,
  ChangeStatus,
  EraseTicket,
  LinkTicket,
  RectifyRequester,
  SetFields,
  SetTags,
  TakeMerged,
  TicketCommand,
} from './commands.ts';
import type { TicketError } from './errors.ts';
import type { TicketEvent, TicketEventOf } from './events.ts';
import { fieldErrors, splitFields } from './fields.ts';
import { textDirection } from './localisation.ts';
import type { Ticket, TicketState } from './state.ts';
import { maxLinks, type TicketStatus } from './vocabulary.ts';

/** What a ticket decision reads besides the command: the clock and the tenant's support setup (routing rules, SLA policies, teams and their calendars). */
export interface TicketContext extends DecideContext {
  setup: SupportSetup;
}
export type TicketDecision = Decision<Caused<TicketEvent>, TicketError>;

/** What the ticket says to one command: the events it causes, or why it refuses. */
export function decide(command: TicketCommand, state: TicketState, { now, setup }: TicketContext): TicketDecision {
  if (command.type === 'OpenTicket') {
    if (state) return refuse({ code: 'ticket_already_exists' });
    const { type: _, region, residency, fields, requiredFieldsApply, ...data } = command;
    const homeRegion = homeRegionOf(data.requester.country, residency);
    if (homeRegion !== region) return refuse({ code: 'wrong_region', homeRegion });
    const errors = fieldErrors(setup.ticketFields, fields, { opening: requiredFieldsApply });
    if (errors.length > 0) return refuse({ code: 'invalid_fields', errors });
    const route = routeTicket(setup, { ...data, fields });
    return accept([
      { type: 'TicketOpened', data: { ...data, homeRegion, tags: unique(data.tags), direction: textDirection(data.description) } },
      ...(Object.keys(fields).length > 0 ? [{ type: 'FieldsSet', data: splitFields(setup.ticketFields, fields) } as const] : []),
      ...(route ? [routedTo(route)] : []),
    ]);
  }
  if (!state) return refuse({ code: 'ticket_not_found' });
  // A timer may fire after the ticket ended: it finds nothing to breach.
  if (command.type === 'BreachSla')
    return state.erasedAt !== null || state.status === 'closed' ? accept([]) : breachSla(command, state, setup, now);
  if (state.erasedAt !== null) return command.type === 'EraseTicket' ? accept([]) : refuse({ code: 'ticket_erased' });
  // A closed ticket takes no more work, but the law still reaches its data.
  if (command.type === 'EraseTicket') return eraseTicket(command, state);
  if (command.type === 'RectifyRequester') return rectifyRequester(command, state);
  // A merged ticket lives on in its target: a retried merge finds it done, any other write is sent there.
  if (state.mergedInto !== null)
    return command.type === 'MergeInto' && command.target === state.mergedInto
      ? accept([])
      : refuse({ code: 'ticket_merged', mergedInto: state.mergedInto });
  // Links describe tickets, closed ones too.
  if (command.type === 'LinkTicket') return linkTicket(command, state);
  if (command.type === 'UnlinkTicket')
    return state.links.some((link) => link.ticketId === command.ticketId)
      ? accept([{ type: 'TicketUnlinked', data: { ticketId: command.ticketId } }])
      : refuse({ code: 'link_not_found' });
  // Surveys go out once a ticket is solved, and may come back after it closed.
  if (command.type === 'RateSatisfaction' || command.type === 'RateNps') {
    if (state.solvedAt === null) return refuse({ code: 'not_solved' });
    const { type, ...data } = command;
    return accept([{ type: type === 'RateSatisfaction' ? 'SatisfactionRated' : 'NpsRated', data }]);
  }
  if (state.status === 'closed') return refuse({ code: 'ticket_closed' });
  switch (command.type) {
    case 'AddMessage':
      return addMessage(command, state);
    case 'ChangeStatus':
      return changeStatus(command, state);
    case 'Assign':
      return assign(command, state);
    case 'ChangePriority':
      return accept(command.to === state.priority ? [] : [{ type: 'PriorityChanged', data: { from: state.priority, to: command.to } }]);
    case 'SetTags':
      return setTags(command, state);
    case 'AddTags':
      return setTags({ type: 'SetTags', tags: [...state.tags, ...command.tags] }, state);
    case 'RemoveTags':
      return setTags({ type: 'SetTags', tags: state.tags.filter((tag) => !command.tags.includes(tag)) }, state);
    case 'ApplySlaPolicy':
      return accept(command.policyId === state.slaPolicyId ? [] : [{ type: 'SlaPolicyApplied', data: { policyId: command.policyId } }]);
    case 'NotifyWebhook':
      return accept([
        {
          type: 'WebhookNotified',
          data: { webhookId: command.webhookId, ...pick(state, 'status', 'priority', 'team', 'assignee', 'tags') },
        },
      ]);
    // A unit of work opens these into the commands they stand for (ticket/unit.ts).
    case 'ApplyMacro':
    case 'RunAutomation':
    case 'PlanAutomations':
      return accept([]);
    case 'SetFields':
      return setFields(command, state, setup);
    case 'MergeInto':
      return command.target === state.id
        ? refuse({ code: 'merge_into_itself' })
        : accept([{ type: 'MergedInto', data: { target: command.target } }, statusChanged(state.status, 'closed')]);
    case 'TakeMerged':
      return takeMerged(command, state);
  }
}

/** A new ticket assigned to the team of the routing rule that matched it, which is named as its cause. */
export const routedTo = (route: RoutingRule): Caused<TicketEvent> => ({
  type: 'TicketAssigned',
  data: { assignee: null, team: route.team },
  causedBy: causeOf('routing', route.id),
});

function breachSla(command: BreachSla, ticket: Ticket, setup: SupportSetup, now: Date): TicketDecision {
  const { metric, dueAt } = command;
  if (!breachDue(ticket, metric, dueAt, now)) return accept([]);
  const events: TicketEvent[] = [{ type: 'SlaBreached', data: { metric, dueAt } }];
  const policy = ticket.sla?.policyId ? setup.slaPolicies[ticket.sla.policyId] : undefined;
  if (policy?.onBreach.raisePriority && ticket.priority !== 'urgent') {
    events.push({ type: 'PriorityChanged', data: { from: ticket.priority, to: nextPriority(ticket.priority) } });
  }
  const toTeam = policy?.onBreach.handOff ? teamOnShift(setup, ticket.team, now) : null;
  if (toTeam !== null) events.push({ type: 'TicketEscalated', data: { fromTeam: ticket.team, toTeam, reason: 'sla_breach', metric } });
  return accept(events);
}

function addMessage(command: AddMessage, ticket: Ticket): TicketDecision {
  if (command.from === 'requester' && !command.public) return refuse({ code: 'requester_internal_note' });
  const { type: _, attachments = [], ...data } = command;
  const events: TicketEvent[] = [{ type: 'MessageAdded', data: { ...data, direction: textDirection(data.body), attachments } }];
  const agentAnswersNew = command.from === 'agent' && command.public && ticket.status === 'new';
  const requesterReopens = command.from === 'requester' && (ticket.status === 'pending' || ticket.status === 'solved');
  if (agentAnswersNew || requesterReopens) events.push(statusChanged(ticket.status, 'open'));
  return accept(events);
}

function changeStatus({ to }: ChangeStatus, ticket: Ticket): TicketDecision {
  const from = ticket.status;
  if (to === from) return accept([]);
  // Like Zendesk: a ticket never goes back to new, and only a solved ticket can be closed.
  if (to === 'new' || (to === 'closed' && from !== 'solved')) return refuse({ code: 'illegal_transition', from, to });
  if (to === 'solved' && ticket.assignee === null) return refuse({ code: 'assignee_required' });
  return accept([statusChanged(from, to)]);
}

function assign(command: Assign, ticket: Ticket): TicketDecision {
  const assignee = command.assignee === undefined ? ticket.assignee : command.assignee;
  const team = command.team === undefined ? ticket.team : command.team;
  if (assignee === ticket.assignee && team === ticket.team) return accept([]);
  if (assignee === null && ticket.status === 'solved') return refuse({ code: 'assignee_required' });
  const events: TicketEvent[] = [{ type: 'TicketAssigned', data: { assignee, team } }];
  // Someone took the ticket on: it is no longer new.
  if (assignee !== null && ticket.status === 'new') events.push(statusChanged('new', 'open'));
  return accept(events);
}

function setTags(command: SetTags, ticket: Ticket): TicketDecision {
  const tags = unique(command.tags);
  const same = tags.length === ticket.tags.length && tags.every((tag, i) => tag === ticket.tags[i]);
  return accept(same ? [] : [{ type: 'TagsSet', data: { tags } }]);
}

function setFields({ fields }: SetFields, ticket: Ticket, setup: SupportSetup): TicketDecision {
  const errors = fieldErrors(setup.ticketFields, fields, { opening: false });
  if (errors.length > 0) return refuse({ code: 'invalid_fields', errors });
  const { values, personal } = splitFields(setup.ticketFields, fields);
  const changed = <T>(changes: Record<string, T>) =>
    Object.fromEntries(
      Object.entries(changes).filter(([key, value]) => JSON.stringify(ticket.fields[key] ?? null) !== JSON.stringify(value)),
    );
  const data = { values: changed(values), personal: changed(personal) };
  return accept(Object.keys(data.values).length + Object.keys(data.personal).length === 0 ? [] : [{ type: 'FieldsSet', data }]);
}

function linkTicket({ ticketId, kind }: LinkTicket, ticket: Ticket): TicketDecision {
  if (ticketId === ticket.id) return refuse({ code: 'link_to_itself' });
  const existing = ticket.links.find((link) => link.ticketId === ticketId);
  if (existing?.kind === kind) return accept([]);
  if (!existing && ticket.links.length >= maxLinks) return refuse({ code: 'too_many_links', limit: maxLinks });
  return accept([{ type: 'TicketLinked', data: { ticketId, kind } }]);
}

function takeMerged({ sources }: TakeMerged, ticket: Ticket): TicketDecision {
  if (sources.includes(ticket.id)) return refuse({ code: 'merge_into_itself' });
  const taken = [...new Set(sources)].filter((source) => !ticket.mergedFrom.includes(source));
  return accept(taken.length === 0 ? [] : [{ type: 'MergedTicketsTaken', data: { sources: taken } }]);
}

function eraseTicket(command: EraseTicket, ticket: Ticket): TicketDecision {
  if (command.reason === 'dsar_erasure')
    return accept([{ type: 'TicketErased', data: { reason: command.reason, dsarId: command.dsarId, retentionDays: null } }]);
  if (!retentionDue(ticket, command.retentionDays, command.asOf)) return refuse({ code: 'retention_not_due' });
  return accept([{ type: 'TicketErased', data: { reason: command.reason, dsarId: null, retentionDays: command.retentionDays } }]);
}

/** A retention policy reaches a ticket closed at least `days` whole days before `asOf`. */
export const retentionDue = (ticket: Pick<Ticket, 'status' | 'closedAt'>, days: number, asOf: string): boolean =>
  ticket.status === 'closed' && ticket.closedAt !== null && Date.parse(ticket.closedAt) <= closedBy(days, new Date(asOf)).getTime();

function rectifyRequester(command: RectifyRequester, ticket: Ticket): TicketDecision {
  const { type: _, dsarId, ...corrections } = command;
  const changed = Object.fromEntries(
    Object.entries(corrections).filter(
      ([field, value]) => value !== undefined && value !== ticket.requester[field as keyof typeof corrections],
    ),
  );
  return accept(Object.keys(changed).length === 0 ? [] : [{ type: 'RequesterRectified', data: { dsarId, ...changed } }]);
}

const statusChanged = (from: TicketStatus, to: TicketStatus): TicketEventOf<'StatusChanged'> => ({
  type: 'StatusChanged',
  data: { from, to },
});

const unique = (tags: string[]): string[] => [...new Set(tags)];
const pick = <T, K extends keyof T>(from: T, ...keys: K[]) => Object.fromEntries(keys.map((key) => [key, from[key]])) as Pick<T, K>;
