/**
 * The one shape of every aggregate (ticket, data-subject request, support setup, retention policy):
 * `decide` says what a command causes given the state, `evolve` folds one recorded event into it.
 * Pure: no I/O, and the clock arrives as `context.now`, the same way for every decider.
 */
export type Decision<Event, Refusal> =
  | { ok: true; events: Event[] }
  // A decider that refuses nothing (Refusal = never) decides only events.
  | ([Refusal] extends [never] ? never : { ok: false; error: Refusal });

export const accept = <Event, Refusal = never>(events: Event[]): Decision<Event, Refusal> => ({ ok: true, events });
export const refuse = <Event, Refusal>(error: Refusal): Decision<Event, Refusal> => ({ ok: false, error }) as Decision<Event, Refusal>;

/**
 * An event a rule decided (a trigger, an automation, a macro, a routing rule): `causedBy` names it
 * (`trigger:<id>`), and becomes the stored event's causationId.
 */
export type Caused<Event> = Event & { causedBy?: string };

/** What every decision may read besides the command and the state. */
export interface DecideContext {
  now: Date;
}

/** Where an event sits in its stream, and when and by whom it was recorded: what a fold may read of its envelope. */
export interface Recorded {
  version: number;
  occurredAt: string;
  tenantId: string;
  actorId: string;
}
export type RecordedEvent<Event> = Event & Recorded;

export interface Decider<State, Command, Event, Refusal, Context extends DecideContext = DecideContext> {
  /** The state before the stream's first event. */
  initialState: (tenantId: string) => State;
  decide: (command: Command, state: State, context: Context) => Decision<Event, Refusal>;
  /** Total: an event the state cannot take is a bug upstream. */
  evolve: (state: State, event: RecordedEvent<Event>) => State;
}

/** The state a stream's events leave, from `from` (a view's state, say) or the beginning. */
export const fold = <State, Event>(
  decider: Pick<Decider<State, never, Event, unknown, never>, 'evolve'>,
  events: Iterable<RecordedEvent<Event>>,
  from: State,
): State => {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
};
