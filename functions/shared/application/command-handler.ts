import { type Caused, type DecideContext, type Decider, fold, type RecordedEvent } from '../../../domain/decider.ts';
import type { StoredEvent } from '../../../events/envelope.ts';
import { type EventForm, recordedWith } from '../../../events/event-form.ts';
import { chainEvents, genesisHash } from '../../../events/hash-chain.ts';
import { jitteredBackoff } from '../platform/retry.ts';
import type { Deps } from '../ports/deps.ts';
import { appendIsTransaction, ConcurrencyError, type WriteGuard } from '../ports/event-store.ts';
import { type CommandContext, IdempotencyKeyReused, StaleVersion, type StreamKind, WriteContention } from './commands.ts';

type Event = { type: string; data: object };

const causeOf = (event: Caused<Event>): string | undefined => event.causedBy;

/** What the one command handler needs to know about a kind of stream besides its decider. */
export interface StreamWriter<State, Command, E extends Event, Refusal, Context extends DecideContext = DecideContext> {
  kind: StreamKind;
  decider: Decider<State, Command, E, Refusal, Context>;
  form: EventForm<E>;
  /** Another tenant's stream, or a command for a stream that does not exist: never told apart. */
  notFound: () => Error;
  refused: (refusal: Refusal) => Error;
  /** What the decision reads besides the clock (the ticket: the tenant's support setup). */
  context?: (deps: Deps, tenantId: string) => Promise<Omit<Context, 'now'>>;
  /** A command that starts a stream under a new id need not read it (a lost race still fails the append). */
  creates?: (command: Command) => boolean;
  /** Open sealed personal data before folding: the decision reads it (a ticket's requester). */
  opensPersonalData?: boolean;
  /**
   * Seals the decided events' personal fields before they are stored, and names any key item to
   * store with them. `transactional`: the append is a transaction anyway (several events, or an
   * Idempotency-Key claim), so an item joins it for one more item's units and no round trip.
   */
  seal?: (deps: Deps, tenantId: string, state: State, events: E[], append: { transactional: boolean }) => Promise<Sealed<E>>;
  /** After an append (the ticket writers' cached setup forgets a changed one). */
  changed?: (deps: Deps, tenantId: string) => void;
}

export interface Sealed<E> {
  events: E[];
  /** Written in the same transaction as the events (a new ticket's own data key). */
  alongside?: WriteGuard[];
}

/** What reading a stream needs of its writer. */
type StreamReader<State, E extends Event> = Pick<StreamWriter<State, never, E, unknown, never>, 'form' | 'notFound'> & {
  decider: Pick<Decider<State, never, E, unknown, never>, 'initialState' | 'evolve'>;
};

export interface CommandWrite<Command> {
  streamId: string;
  command: Command;
  context: CommandContext;
  /** If-Match: whether the caller's expectation holds for the current version. */
  expects?: (version: number) => boolean;
  idempotency?: { key: string; requestHash: string };
}

export interface Handled<State> {
  before: State;
  state: State;
  /** What this write appended, personal data as decided (for a replay: what the first request appended, as read). */
  events: StoredEvent[];
  replayed: boolean;
}

export interface LoadOptions {
  /** Open the sealed personal data (for callers entitled to it); otherwise it stays as stored. */
  open?: boolean;
  toVersion?: number;
}

/** The state stored events leave, read through the writer's event form, from `from` (a view's state, say). */
export const foldStored = <State, E extends Event>(reader: StreamReader<State, E>, events: StoredEvent[], from: State): State =>
  fold(reader.decider, events.map(recordedWith(reader.form)), from);

/** A stream's state as its tenant may see it, folded from its events (read-your-writes). */
export async function loadStream<State, E extends Event>(
  deps: Deps,
  writer: StreamReader<State, E>,
  streamId: string,
  tenantId: string,
  { open = false, toVersion }: LoadOptions = {},
): Promise<{ state: State; events: StoredEvent[] }> {
  const stored = await deps.eventStore.readStream(streamId, { toVersion });
  // The tenant is checked before anything is opened: another tenant's data is never decrypted.
  if (stored[0] && stored[0].tenantId !== tenantId) throw writer.notFound();
  const events = open ? await Promise.all(stored.map((event) => deps.personalData.openEvent(event))) : stored;
  return { state: foldStored(writer, events, writer.decider.initialState(tenantId)), events };
}

/**
 * The one command path of every aggregate: load the stream, decide at the clock's now, seal, and
 * append with the version condition and the Idempotency-Key claim in the same write. A lost race
 * reads and decides again after a jittered backoff; a repeated Idempotency-Key answers what the
 * first request appended.
 */
export async function handleCommand<State, Command, E extends Event, Refusal, Context extends DecideContext>(
  deps: Deps,
  writer: StreamWriter<State, Command, E, Refusal, Context>,
  write: CommandWrite<Command>,
): Promise<Handled<State>> {
  const { tenantId } = write.context;
  const { decider } = writer;
  for (let attempt = 0; attempt < deps.config.maxWriteAttempts; attempt++) {
    const now = deps.clock();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (write.idempotency) {
      const earlier = await deps.idempotency.find(tenantId, write.idempotency.key, nowSeconds);
      if (earlier) {
        if (earlier.requestHash !== write.idempotency.requestHash) throw new IdempotencyKeyReused();
        // The stream the first request wrote: for a create, not the id this retry drew.
        const { state, events } = await loadStream(deps, writer, earlier.streamId, tenantId, {
          open: writer.opensPersonalData,
          toVersion: earlier.lastVersion,
        });
        return { before: state, state, events: events.filter((e) => e.version >= earlier.firstVersion), replayed: true };
      }
    }
    const loaded = writer.creates?.(write.command)
      ? { state: decider.initialState(tenantId), events: [] }
      : await loadStream(deps, writer, write.streamId, tenantId, { open: writer.opensPersonalData });
    const before = loaded.state;
    const last = loaded.events.at(-1);
    const version = last?.version ?? 0;
    if (write.expects && !write.expects(version)) throw new StaleVersion(version, writer.kind);

    const extra = writer.context ? await writer.context(deps, tenantId) : {};
    const decision = decider.decide(write.command, before, { ...extra, now } as Context);
    if (!decision.ok) throw writer.refused(decision.error);
    if (decision.events.length === 0) return { before, state: before, events: [], replayed: false };

    const { events: toStore, alongside = [] }: Sealed<E> = writer.seal
      ? await writer.seal(deps, tenantId, before, decision.events, {
          transactional: appendIsTransaction(decision.events.length, write.idempotency ? 1 : 0),
        })
      : { events: decision.events };
    const events = chainEvents(
      toStore.map((event, i) => ({
        eventId: deps.newId(),
        streamId: write.streamId,
        version: version + i + 1,
        occurredAt: now.toISOString(),
        recordedAt: now.toISOString(),
        region: deps.config.region,
        ...write.context,
        // An event a rule decided names the rule as its cause; the rest were caused by the request.
        causationId: causeOf(decision.events[i]!) ?? write.context.causationId,
        type: event.type,
        schemaVersion: writer.form.schemaVersion(event.type),
        data: event.data as Record<string, unknown>,
      })),
      last?.hash ?? genesisHash,
    );
    const guards: WriteGuard[] = [
      ...alongside,
      ...(write.idempotency
        ? [
            deps.idempotency.claim(
              {
                tenantId,
                ...write.idempotency,
                streamId: write.streamId,
                firstVersion: version + 1,
                lastVersion: version + events.length,
                expiresAt: nowSeconds + deps.config.idempotencyTtlSeconds,
              },
              nowSeconds,
            ),
          ]
        : []),
    ];
    try {
      await deps.eventStore.append(events, guards);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      await jitteredBackoff(attempt);
      continue;
    }
    writer.changed?.(deps, tenantId);
    const appended = events.map((event, i) => ({ ...event, data: decision.events[i]!.data as Record<string, unknown> }));
    const recorded = appended.map(
      (event, i): RecordedEvent<E> => ({
        ...decision.events[i]!,
        version: event.version,
        occurredAt: event.occurredAt,
        tenantId,
        actorId: event.actor.id,
      }),
    );
    return { before, state: fold(decider, recorded, before), events: appended, replayed: false };
  }
  throw new WriteContention(writer.kind);
}
