import { fold } from '../../../domain/decider.ts';
import { MeridianError } from '../../../domain/meridian-error.ts';
import { type SetupCommand, type SetupError, type SupportSetup, supportSetupDecider } from '../../../domain/setup/support-setup.ts';
import { compareTicket, emptyTotals, type TicketDifference } from '../../../domain/simulation/comparison.ts';
import { type RecordedChange, replayTicket } from '../../../domain/simulation/replay.ts';
import type { Ticket } from '../../../domain/ticket/state.ts';
import { type StoredEvent, ticketStreamId } from '../../../events/envelope.ts';
import { supportSetupStreamId } from '../../../events/setup-events.ts';
import { recorded } from '../../../events/upcasters.ts';
import type { Deps } from '../ports/deps.ts';
import { soonest } from '../ports/scheduler.ts';
import type { SimulationJob, SimulationRequest, SimulationResult } from '../ports/simulation-jobs.ts';
import { loadStream } from './command-handler.ts';
import { setupWriter } from './support-setup.ts';

/** A draft item its PUT would refuse: which one (its index in the draft), and why. */
export class DraftRefused extends MeridianError {
  constructor(
    readonly index: number,
    readonly refusal: SetupError,
  ) {
    super(refusal.code);
  }
}

/** The job ran past the time a function may run: a narrower window fits. */
export class SimulationTooLong extends MeridianError {}

/** At most this many differing tickets are listed; the totals count every one. */
export const maxTicketsListed = 2_000;
/** Tickets whose streams are read at once. */
const readsAtOnce = 8;

/** The setup as it would be with the draft put, each item decided as its PUT would be (and refused the same way). */
export function draftSetup(setup: SupportSetup, draft: SetupCommand[], now: Date): SupportSetup {
  let state = setup;
  draft.forEach((command, index) => {
    const decision = supportSetupDecider.decide(command, state, { now });
    if (!decision.ok) throw new DraftRefused(index, decision.error);
    const occurredAt = now.toISOString();
    const events = decision.events.map((event, i) => ({
      ...event,
      version: state.version + i + 1,
      occurredAt,
      tenantId: setup.tenantId,
      actorId: '',
    }));
    state = fold(supportSetupDecider, events, state);
  });
  return state;
}

/** The tenant's setup at a version of its stream (a job runs against the setup as it was when asked). */
const setupAt = async (deps: Deps, tenantId: string, version: number) =>
  (await loadStream(deps, setupWriter, supportSetupStreamId(tenantId), tenantId, { toVersion: version })).state;

/** A ticket's stream as its appends: events recorded together (same moment, same request) are one change. */
export function changesOf(stored: StoredEvent[]): RecordedChange[] {
  const changes: RecordedChange[] = [];
  let lastKey: string | undefined;
  for (const event of stored) {
    const key = `${event.recordedAt}|${event.correlationId}|${event.actor.id}`;
    if (key !== lastKey) changes.push({ at: event.occurredAt, events: [] });
    lastKey = key;
    const { type, data } = recorded(event);
    changes.at(-1)!.events.push({ type, data, causedBy: event.causationId } as RecordedChange['events'][number]);
  }
  return changes;
}

/** A window ends at `to` or now, whichever is first: history not lived yet is not replayed. */
const windowEnd = (to: string, now: Date) => new Date(Math.min(Date.parse(to), now.getTime()));

/** The tenant's tickets created in the window, a page at a time. */
async function* ticketsInWindow(deps: Deps, tenantId: string, { from, to }: Pick<SimulationRequest, 'from' | 'to'>, now: Date) {
  const until = windowEnd(to, now);
  let cursor: string | undefined;
  do {
    const page = await deps.ticketViews.createdBetween({ tenantId, from: new Date(from), to: until, limit: 100, cursor });
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** Runs `work` over items, `limit` at a time, in order of completion. */
async function eachAtOnce<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * "What if": every ticket created in the window, its history up to the window's end (or now)
 * lived again under the setup as it is and under the draft, compared. Reads only: sealed text is
 * never opened, nothing is written. `deadline` (ms) stops a job before its function would be cut off.
 */
export async function simulate(
  deps: Deps,
  tenantId: string,
  request: SimulationRequest,
  options: { deadline?: number; baseline?: SupportSetup } = {},
): Promise<SimulationResult> {
  const now = deps.clock();
  const baseline = options.baseline ?? (await setupAt(deps, tenantId, request.setupVersion));
  const draft = draftSetup(baseline, request.draft, now);
  const until = windowEnd(request.to, now);
  const totals = emptyTotals();
  const differences: TicketDifference[] = [];
  for await (const tickets of ticketsInWindow(deps, tenantId, request, now)) {
    if (options.deadline !== undefined && Date.now() > options.deadline)
      throw new SimulationTooLong('the window has too many tickets for one run');
    const outcomes: Array<{
      ticket: Ticket;
      events: number;
      baseline: ReturnType<typeof replayTicket>;
      draft: ReturnType<typeof replayTicket>;
    }> = [];
    await eachAtOnce(tickets, readsAtOnce, async (ticket) => {
      const stored = (await deps.eventStore.readStream(ticketStreamId(ticket.id))).filter(
        (event) => Date.parse(event.occurredAt) <= until.getTime(),
      );
      const changes = changesOf(stored);
      outcomes.push({
        ticket,
        events: stored.length,
        baseline: replayTicket(changes, baseline, until),
        draft: replayTicket(changes, draft, until),
      });
    });
    for (const { ticket, events, baseline: before, draft: after } of outcomes.sort((a, b) => a.ticket.id.localeCompare(b.ticket.id))) {
      if (!before || !after) continue;
      const difference = compareTicket(totals, { ticketId: ticket.id, events }, before, after);
      if (difference && differences.length < maxTicketsListed) differences.push(difference);
    }
  }
  return { totals, tickets: differences, ticketsTruncated: totals.ticketsChanged > differences.length };
}

/** Simulations over more tickets than this run as a job (202, then poll). */
export const inlineTicketLimit = 200;

/** Whether the window holds few enough tickets to answer at once. */
export async function fitsInline(deps: Deps, tenantId: string, request: Pick<SimulationRequest, 'from' | 'to'>): Promise<boolean> {
  let seen = 0;
  for await (const tickets of ticketsInWindow(deps, tenantId, request, deps.clock())) {
    seen += tickets.length;
    if (seen > inlineTicketLimit) return false;
  }
  return true;
}

/** How long a job may run: a Lambda function stops at 15 minutes; the job records why before then. */
const jobBudgetMs = 13 * 60 * 1000;

/** Records a job and schedules its run (the SLA checker runs it, at once). */
export async function startSimulationJob(deps: Deps, tenantId: string, request: SimulationRequest): Promise<SimulationJob> {
  const job: SimulationJob = {
    tenantId,
    simulationId: deps.newId(),
    status: 'running',
    requestedAt: deps.clock().toISOString(),
    finishedAt: null,
    request,
    result: null,
    failure: null,
  };
  await deps.simulations.put(job);
  await deps.scheduler.scheduleOnce({
    name: `simulation-${job.simulationId}`,
    at: soonest(deps.clock(), deps.clock()),
    target: 'sla-checker',
    payload: { kind: 'simulation', tenantId, simulationId: job.simulationId },
  });
  return job;
}

/** The job's run: its result, or why it failed, recorded on the job. A job already finished is left as it is. */
export async function runSimulationJob(deps: Deps, payload: { tenantId: string; simulationId: string }) {
  const job = await deps.simulations.get(payload.tenantId, payload.simulationId);
  if (!job || job.status !== 'running') return;
  const finished = (done: Partial<SimulationJob>) => deps.simulations.put({ ...job, ...done, finishedAt: deps.clock().toISOString() });
  try {
    const result = await simulate(deps, job.tenantId, job.request, { deadline: Date.now() + jobBudgetMs });
    await finished({ status: 'succeeded', result });
  } catch (error) {
    // A job is asked once: whatever stops it is recorded on it, so a poll never waits for ever.
    deps.logger.error('simulation job failed', { errorName: error instanceof Error ? error.name : typeof error });
    await finished({ status: 'failed', failure: failureOf(error) });
  }
}

const failureOf = (error: unknown) => {
  if (error instanceof SimulationTooLong)
    return 'The window holds more history than one run replays in 13 minutes; simulate a narrower window';
  return 'Something stopped the job on our side; ask again';
};
