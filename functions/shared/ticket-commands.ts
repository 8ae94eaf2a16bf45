import { MeridianError } from '../../domain/meridian-error.ts';
import type { TicketCommand } from '../../domain/ticket/commands.ts';
import { decideAll } from '../../domain/ticket/decide.ts';
import type { TicketError } from '../../domain/ticket/errors.ts';
import { fold } from '../../domain/ticket/evolve.ts';
import type { Ticket } from '../../domain/ticket/state.ts';
import { type StoredEvent, ticketStreamId } from '../../events/envelope.ts';
import { genesisHash } from '../../events/hash-chain.ts';
import { type TicketEvent, ticketEventSchemas } from '../../events/ticket-events.ts';
import { recorded } from '../../events/upcasters.ts';
import { envelopedEvents } from './append-events.ts';
import { type CommandContext, IdempotencyKeyReused, StaleVersion, WriteContention } from './commands.ts';
import type { Deps } from './composition.ts';
import { ConcurrencyError } from './event-store.ts';
import { MetricUnit } from './observability.ts';
import { jitteredBackoff } from './retry.ts';
import { recentSetup } from './support-setup.ts';

export class TicketRefused extends MeridianError {
  constructor(readonly refusal: TicketError) {
    super(refusal.code);
  }
}
/** Absent, or another tenant's: the two are never told apart. */
export class TicketNotFound extends MeridianError {}

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

export interface LoadOptions {
  /** Open the sealed personal data (for callers entitled to it); otherwise it stays as stored. */
  open: boolean;
  toVersion?: number;
}

/** The ticket as its tenant may see it, folded from its stream (read-your-writes). */
export const loadTicket = (deps: Deps, ticketId: string, tenantId: string, options: LoadOptions) =>
  loadTicketStream(deps, ticketStreamId(ticketId), tenantId, options);

async function loadTicketStream(deps: Deps, streamId: string, tenantId: string, { open, toVersion }: LoadOptions) {
  const stored = await deps.eventStore.readStream(streamId, { toVersion });
  // The tenant is checked before anything is opened: another tenant's data is never decrypted.
  if (stored[0] && stored[0].tenantId !== tenantId) throw new TicketNotFound();
  const events = open ? await Promise.all(stored.map((event) => deps.personalData.openEvent(event))) : stored;
  const ticket = fold(events.map(recorded));
  if (!ticket) throw new TicketNotFound();
  return { ticket, events };
}

/**
 * Seals each event's personal fields: contact details with the requester's key, what is written
 * in the ticket with the ticket's own key, which a new ticket gets here.
 */
async function sealed(deps: Deps, tenantId: string, before: Ticket | null, events: TicketEvent[]): Promise<TicketEvent[]> {
  const opened = events.find((event) => event.type === 'TicketOpened');
  if (opened) await deps.subjectKeys.create({ tenantId, subjectId: opened.data.ticketId });
  const keys = {
    requester: before ? before.requester.subjectId : (opened?.data.requester.subjectId ?? null),
    ticket: before?.id ?? opened?.data.ticketId ?? null,
  };
  return Promise.all(events.map((event) => deps.personalData.seal(tenantId, keys, event)));
}

/** Decides the commands against the current ticket and appends the outcome, re-deciding after a lost race. */
export async function commitTicket(deps: Deps, write: TicketWrite): Promise<Committed> {
  const streamId = ticketStreamId(write.ticketId);
  for (let attempt = 0; attempt < deps.config.maxWriteAttempts; attempt++) {
    const now = deps.clock();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (write.idempotency) {
      const earlier = await deps.idempotency.find(write.context.tenantId, write.idempotency.key, nowSeconds);
      if (earlier) {
        if (earlier.requestHash !== write.idempotency.requestHash) throw new IdempotencyKeyReused();
        // The stream the first request wrote: for a create, not the id this retry drew.
        const { ticket, events } = await loadTicketStream(deps, earlier.streamId, write.context.tenantId, {
          open: true,
          toVersion: earlier.lastVersion,
        });
        return { ticket, events: events.filter((e) => e.version >= earlier.firstVersion), replayed: true };
      }
    }
    const creating = write.commands.some((command) => command.type === 'OpenTicket');
    const loaded = creating ? null : await loadTicketStream(deps, streamId, write.context.tenantId, { open: true });
    const before = loaded?.ticket ?? null;
    const version = before?.version ?? 0;
    if (write.expects && !write.expects(version)) throw new StaleVersion(version);

    // Routing rules and SLA policies take part in every decision, as read within the last seconds.
    const setup = await recentSetup(deps, write.context.tenantId);
    const decision = decideAll(write.commands, before, now.toISOString(), setup);
    if (!decision.ok) throw new TicketRefused(decision.error);
    if (decision.events.length === 0) return { ticket: before!, events: [], replayed: false };

    const toStore = await sealed(deps, write.context.tenantId, before, decision.events);
    const newEvents = toStore.map((event) => ({
      type: event.type,
      schemaVersion: ticketEventSchemas[event.type].schemaVersion,
      data: event.data,
    }));
    const events = envelopedEvents(deps, streamId, version, now, write.context, newEvents, loaded?.events.at(-1)?.hash ?? genesisHash);
    const guards = write.idempotency
      ? [
          deps.idempotency.claim(
            {
              tenantId: write.context.tenantId,
              ...write.idempotency,
              streamId,
              firstVersion: version + 1,
              lastVersion: version + events.length,
              expiresAt: nowSeconds + deps.config.idempotencyTtlSeconds,
            },
            nowSeconds,
          ),
        ]
      : [];
    try {
      await deps.eventStore.append(events, guards);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      await jitteredBackoff(attempt);
      continue;
    }
    const appended = events.map((event, i) => ({ ...event, data: decision.events[i]!.data }));
    deps.metrics.addMetric('TicketEventsAppended', MetricUnit.Count, appended.length);
    return { ticket: fold(appended.map(recorded), before)!, events: appended, replayed: false };
  }
  throw new WriteContention('ticket');
}
