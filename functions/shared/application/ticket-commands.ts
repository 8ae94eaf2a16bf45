import { MeridianError } from '../../../domain/meridian-error.ts';
import type { TicketCommand } from '../../../domain/ticket/commands.ts';
import type { TicketContext } from '../../../domain/ticket/decide.ts';
import type { TicketError } from '../../../domain/ticket/errors.ts';
import type { TicketEvent } from '../../../domain/ticket/events.ts';
import { fold } from '../../../domain/ticket/evolve.ts';
import type { Ticket, TicketState } from '../../../domain/ticket/state.ts';
import { decideAll, ticketDecider } from '../../../domain/ticket/unit.ts';
import { type StoredEvent, ticketStreamId } from '../../../events/envelope.ts';
import { ticketEventForm } from '../../../events/upcasters.ts';
import { MetricUnit } from '../platform/observability.ts';
import type { Deps } from '../ports/deps.ts';
import { handleCommand, type LoadOptions, loadStream, type Sealed, type StreamWriter } from './command-handler.ts';
import type { CommandContext } from './commands.ts';
import { recentSetup } from './support-setup.ts';

export class TicketRefused extends MeridianError {
  constructor(readonly refusal: TicketError) {
    super(refusal.code);
  }
}
/** Absent, or another tenant's: the two are never told apart. */
export class TicketNotFound extends MeridianError {}

/**
 * Seals each event's personal fields: contact details with the requester's key, what is written
 * in the ticket with the ticket's own key, which a new ticket gets here. Where the opening is a
 * transaction anyway (routed, SLA targets set, an Idempotency-Key), the key is stored in it: one
 * round trip fewer, and never a key without its ticket. A lone TicketOpened stays a conditional
 * put, with the key put first (two round trips, 2 write units, where a transaction would bill 4).
 */
async function sealed(
  deps: Deps,
  tenantId: string,
  before: TicketState,
  events: TicketEvent[],
  { transactional }: { transactional: boolean },
): Promise<Sealed<TicketEvent>> {
  const opened = events.find((event) => event.type === 'TicketOpened');
  const ticketKey = opened ? { tenantId, subjectId: opened.data.ticketId } : undefined;
  const alongside = ticketKey && transactional ? [await deps.subjectKeys.createWith(ticketKey)] : [];
  if (ticketKey && !transactional) await deps.subjectKeys.create(ticketKey);
  const keys = {
    requester: before ? before.requester.subjectId : (opened?.data.requester.subjectId ?? null),
    ticket: before?.id ?? opened?.data.ticketId ?? null,
  };
  return { events: await Promise.all(events.map((event) => deps.personalData.seal(tenantId, keys, event))), alongside };
}

const ticketWriter: StreamWriter<TicketState, TicketCommand[], TicketEvent, TicketError, TicketContext> = {
  kind: 'ticket',
  decider: ticketDecider,
  form: ticketEventForm,
  notFound: () => new TicketNotFound(),
  refused: (refusal) => (refusal.code === 'ticket_not_found' ? new TicketNotFound() : new TicketRefused(refusal)),
  // Routing rules and SLA policies take part in every decision, as read within the last seconds.
  context: async (deps, tenantId) => ({ setup: await recentSetup(deps, tenantId) }),
  creates: (commands) => commands.some((command) => command.type === 'OpenTicket'),
  opensPersonalData: true,
  seal: sealed,
};

/** The ticket as its tenant may see it, folded from its stream (read-your-writes). */
export async function loadTicket(deps: Deps, ticketId: string, tenantId: string, options: LoadOptions) {
  const { state, events } = await loadStream(deps, ticketWriter, ticketStreamId(ticketId), tenantId, options);
  if (!state) throw new TicketNotFound();
  return { ticket: state, events };
}

/**
 * Whether the ticket would take these commands now, without writing anything: a write across
 * several tickets (a merge, a link) asks each of them before it writes to any.
 */
export async function checkTicket(deps: Deps, ticketId: string, tenantId: string, commands: TicketCommand[]): Promise<Ticket> {
  return (await checkedTicket(deps, ticketId, tenantId, commands)).ticket;
}

/** As checkTicket, with the stream it read (sealed as stored). */
export async function checkedTicket(deps: Deps, ticketId: string, tenantId: string, commands: TicketCommand[]) {
  const loaded = await loadTicket(deps, ticketId, tenantId, {});
  const decision = ticketDecider.decide(commands, loaded.ticket, { setup: await recentSetup(deps, tenantId), now: deps.clock() });
  if (!decision.ok) throw ticketWriter.refused(decision.error);
  return loaded;
}

/** What the commands would make of the ticket now, with its personal data open, and the events they would cause: nothing is written. */
export async function previewTicket(deps: Deps, ticketId: string, tenantId: string, commands: TicketCommand[]) {
  const { ticket } = await loadTicket(deps, ticketId, tenantId, { open: true });
  const now = deps.clock();
  const decision = decideAll(commands, ticket, { setup: await recentSetup(deps, tenantId), now });
  if (!decision.ok) throw ticketWriter.refused(decision.error);
  const recorded = decision.events.map((event, i) => ({
    ...event,
    version: ticket.version + i + 1,
    occurredAt: now.toISOString(),
    tenantId,
    actorId: '',
  }));
  return { ticket: fold(recorded, ticket)!, events: decision.events };
}

export interface TicketWrite {
  ticketId: string;
  commands: TicketCommand[];
  context: CommandContext;
  /** If-Match: whether the caller's expectation holds for the current version. */
  expects?: (version: number) => boolean;
  idempotency?: { key: string; requestHash: string };
}

export interface Committed {
  ticket: Ticket;
  /** What this write appended (for a replay: what the first request appended). */
  events: StoredEvent[];
  replayed: boolean;
}

/** Decides the commands as one unit of work against the current ticket and appends the outcome. */
export async function commitTicket(deps: Deps, { ticketId, commands, ...write }: TicketWrite): Promise<Committed> {
  const { state, events, replayed } = await handleCommand(deps, ticketWriter, {
    ...write,
    streamId: ticketStreamId(ticketId),
    command: commands,
  });
  if (!state) throw new TicketNotFound();
  if (!replayed && events.length > 0) deps.metrics.addMetric('TicketEventsAppended', MetricUnit.Count, events.length);
  const { subjectId } = state.requester;
  if (!replayed && subjectId !== null && events.some((event) => event.type === 'TicketOpened')) {
    await deps.subjectKeys.countTicket({ tenantId: write.context.tenantId, subjectId });
  }
  return { ticket: state, events, replayed };
}
