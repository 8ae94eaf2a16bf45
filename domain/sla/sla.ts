import { addBusinessTime, businessTimeBetween, isOpen } from '../calendar/business-time.ts';
import { alwaysOpen, type Calendar } from '../calendar/calendar.ts';
import type { SupportSetup } from '../setup/setup.ts';
import { fieldsMatch } from '../ticket/fields.ts';
import { requesterLanguage } from '../ticket/localisation.ts';
import type { Ticket } from '../ticket/state.ts';
import { type TicketPriority, ticketPriorities } from '../ticket/vocabulary.ts';
import { durationMs } from './duration.ts';
import { dueField, type RoutingRule, type SlaMetric, type SlaPolicy, type TicketSla } from './vocabulary.ts';

export type SlaTargets = Omit<TicketSla, 'breaches'>;

const byRank = <T extends { rank: number; id: string }>(items: Record<string, T>) =>
  Object.values(items).sort((a, b) => a.rank - b.rank || a.id.localeCompare(b.id));

const anyOf = <T>(wanted: T[] | undefined, actual: T) => wanted === undefined || wanted.includes(actual);

/** The first policy, by rank, whose conditions all hold for the ticket. */
export const matchingPolicy = (setup: SupportSetup, ticket: Pick<Ticket, 'priority' | 'channel' | 'tags' | 'fields'>): SlaPolicy | null =>
  byRank(setup.slaPolicies).find(
    ({ match }) =>
      anyOf(match.priority, ticket.priority) &&
      anyOf(match.channel, ticket.channel) &&
      (match.tags ?? []).every((tag) => ticket.tags.includes(tag)) &&
      fieldsMatch(match.fields, ticket.fields),
  ) ?? null;

/** The policy a rule applied to the ticket while it exists, else the first matching one. */
export const appliedPolicy = (setup: SupportSetup, ticket: Pick<Ticket, 'priority' | 'channel' | 'tags' | 'fields' | 'slaPolicyId'>) =>
  (ticket.slaPolicyId !== null && setup.slaPolicies[ticket.slaPolicyId]) || matchingPolicy(setup, ticket);

/**
 * The team a new ticket goes to: the first routing rule, by rank, that matches it. The language
 * is the requester's locale's, else the one detected in what they wrote.
 */
export function routeTicket(
  setup: SupportSetup,
  ticket: Pick<Ticket, 'channel' | 'requester' | 'language' | 'fields'>,
): RoutingRule | null {
  const language = requesterLanguage(ticket) ?? undefined;
  return (
    byRank(setup.routingRules).find(
      ({ match }) =>
        anyOf(match.channel, ticket.channel) &&
        (match.language === undefined || (language !== undefined && match.language.map((l) => l.toLowerCase()).includes(language))) &&
        anyOf(match.country, ticket.requester.country) &&
        fieldsMatch(match.fields, ticket.fields),
    ) ?? null
  );
}

/** A team's calendar; around the clock for no team, a team without one, or a 24x7 policy. */
export function teamCalendar(setup: SupportSetup, teamId: string | null): Calendar {
  const calendarId = teamId === null ? null : setup.teams[teamId]?.calendarId;
  return (calendarId && setup.calendars[calendarId]) || alwaysOpen;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** A breached target keeps its due time until it is met: a re-plan never breaches it twice. */
function breachedDue(ticket: Ticket, metric: SlaMetric): string | null {
  const breaches = (ticket.sla?.breaches ?? []).filter((b) => b.metric === metric);
  const current =
    metric === 'nextReply' ? breaches.filter((b) => ticket.awaitingReplySince !== null && b.dueAt >= ticket.awaitingReplySince) : breaches;
  return current.at(-1)?.dueAt ?? null;
}

/** Resolution runs from creation, except while the ticket waits (pending, on hold) or is solved. */
function resolutionDue(calendar: Calendar, ticket: Ticket, targetMs: number): Date | null {
  let remaining = targetMs;
  let runningFrom = new Date(ticket.createdAt);
  for (const pause of ticket.resolutionPauses) {
    if (pause.to === null) return null;
    const stoppedAt = new Date(pause.from);
    const due = addBusinessTime(calendar, runningFrom, remaining);
    if (due !== null && due <= stoppedAt) return due;
    remaining -= businessTimeBetween(calendar, runningFrom, stoppedAt);
    runningFrom = new Date(pause.to);
  }
  return addBusinessTime(calendar, runningFrom, remaining);
}

/**
 * Where the ticket's SLA clocks stand: due times from the matching policy's targets, counted in
 * the assigned team's business hours when the policy says so. Derived from the ticket's own
 * history (created, first reply, awaiting a reply since, pauses), so a re-plan after a change of
 * policy, priority or team gives the same answer as planning from scratch.
 */
export function planSla(ticket: Ticket, setup: SupportSetup): SlaTargets {
  const policy = ticket.status === 'closed' ? null : appliedPolicy(setup, ticket);
  const none: SlaTargets = {
    policyId: policy?.id ?? null,
    firstReplyDueAt: null,
    nextReplyDueAt: null,
    resolutionDueAt: null,
    pausedSince: null,
  };
  if (!policy) return none;
  const calendar = policy.businessHours ? teamCalendar(setup, ticket.team) : alwaysOpen;
  const target = (metric: SlaMetric) => (policy.targets[metric] === undefined ? null : durationMs(policy.targets[metric]!));
  const due = (metric: SlaMetric, open: boolean, compute: (ms: number) => Date | null) => {
    const ms = target(metric);
    if (!open || ms === null) return null;
    return breachedDue(ticket, metric) ?? iso(compute(ms));
  };
  const openPause = ticket.resolutionPauses.at(-1)?.to === null ? ticket.resolutionPauses.at(-1)! : null;
  const waiting = ticket.status === 'pending' || ticket.status === 'on_hold';
  return {
    ...none,
    firstReplyDueAt: due('firstReply', ticket.firstRepliedAt === null, (ms) => addBusinessTime(calendar, new Date(ticket.createdAt), ms)),
    nextReplyDueAt: due('nextReply', ticket.firstRepliedAt !== null && ticket.awaitingReplySince !== null, (ms) =>
      addBusinessTime(calendar, new Date(ticket.awaitingReplySince!), ms),
    ),
    resolutionDueAt: due('resolution', openPause === null, (ms) => resolutionDue(calendar, ticket, ms)),
    pausedSince: waiting && openPause && target('resolution') !== null ? openPause.from : null,
  };
}

/** The new SLA clocks a change calls for: null when they stand where they stood. */
export function slaChange(ticket: Ticket, setup: SupportSetup): SlaTargets | null {
  const planned = planSla(ticket, setup);
  const sla = ticket.sla;
  if (sla === null) return planned.policyId === null ? null : planned;
  const { policyId, firstReplyDueAt, nextReplyDueAt, resolutionDueAt, pausedSince } = sla;
  const standing: SlaTargets = { policyId, firstReplyDueAt, nextReplyDueAt, resolutionDueAt, pausedSince };
  return JSON.stringify(standing) === JSON.stringify(planned) ? null : planned;
}

export const nextPriority = (priority: TicketPriority): TicketPriority =>
  ticketPriorities[Math.min(ticketPriorities.indexOf(priority) + 1, ticketPriorities.length - 1)]!;

/** The first team of the chain on shift at `at`: the follow-the-sun hand-off. */
export function teamOnShift(setup: SupportSetup, fromTeam: string | null, at: Date): string | null {
  const chain = fromTeam === null ? [] : (setup.teams[fromTeam]?.escalatesTo ?? []);
  return chain.find((teamId) => setup.teams[teamId] && isOpen(teamCalendar(setup, teamId), at)) ?? null;
}

/** Whether a timer for this metric and due time finds the target still unmet and unbreached at `at`. */
export const breachDue = (ticket: Ticket, metric: SlaMetric, dueAt: string, at: Date): boolean =>
  ticket.sla !== null &&
  ticket.sla[dueField[metric]] === dueAt &&
  Date.parse(dueAt) <= at.getTime() &&
  !ticket.sla.breaches.some((b) => b.metric === metric && b.dueAt === dueAt);
