import { setTimeout as sleep } from 'node:timers/promises';
import { MeridianError } from '../../../domain/meridian-error.ts';
import { type DataSubject, dataSubjectDecider, type RecordSubjectErased, type SubjectEvent } from '../../../domain/subject/subject.ts';
import type { Ticket } from '../../../domain/ticket/state.ts';
import { subjectEventForm, subjectStreamId } from '../../../events/subject-events.ts';
import type { Deps } from '../ports/deps.ts';
import { handleCommand, type StreamWriter } from './command-handler.ts';
import type { CommandContext } from './commands.ts';

const dataSubjectWriter: StreamWriter<DataSubject, RecordSubjectErased, SubjectEvent, never> = {
  kind: 'data subject',
  decider: dataSubjectDecider,
  form: subjectEventForm,
  notFound: () => new Error('a data subject of another tenant'),
  refused: (refusal) => refusal,
};

/** Records on the subject's stream that an erasure request erased them (once per request). */
export const recordSubjectErased = (deps: Deps, command: Omit<RecordSubjectErased, 'type'>, context: CommandContext) =>
  handleCommand(deps, dataSubjectWriter, {
    streamId: subjectStreamId(command.subjectId),
    command: { type: 'RecordSubjectErased', ...command },
    context,
  });

/** The views have not yet shown every ticket the subject opened: the request is tried again later. */
export class ViewsBehind extends MeridianError {
  constructor(subjectId: string, shown: number, opened: number) {
    super(`the views show ${shown} of the ${opened} tickets subject ${subjectId} opened`);
  }
}

/** How long a request about a subject waits for the views to show a ticket opened just before it. */
const settleDelaysMs = [50, 100, 200, 400, 800, 1600, 3200, 6400];

/**
 * Every ticket of the subject in this region, from the requester index (all statuses, erased ones
 * too). The views follow the store a moment later, so this first waits until they show at least
 * as many tickets as the subject is known to have opened: a request filed right after a ticket
 * still finds it.
 */
export async function ticketsOf(deps: Pick<Deps, 'ticketViews' | 'subjectKeys'>, tenantId: string, subjectId: string | null) {
  if (subjectId === null) return [];
  const opened = await deps.subjectKeys.ticketsOpened({ tenantId, subjectId });
  for (let attempt = 0; ; attempt++) {
    const tickets = await requesterTickets(deps, tenantId, subjectId);
    if (tickets.length >= opened) return tickets;
    if (attempt === settleDelaysMs.length) throw new ViewsBehind(subjectId, tickets.length, opened);
    await sleep(settleDelaysMs[attempt]);
  }
}

async function requesterTickets(deps: Pick<Deps, 'ticketViews'>, tenantId: string, subjectId: string): Promise<Ticket[]> {
  const tickets: Ticket[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.ticketViews.queue({ tenantId, requester: subjectId, limit: 100, cursor });
    tickets.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return tickets;
}
