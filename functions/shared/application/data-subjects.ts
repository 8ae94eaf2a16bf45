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

/** Every ticket of the subject in this region, from the requester index (all statuses, erased ones too). */
export async function ticketsOf(deps: Pick<Deps, 'ticketViews'>, tenantId: string, subjectId: string | null): Promise<Ticket[]> {
  if (subjectId === null) return [];
  const tickets: Ticket[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.ticketViews.queue({ tenantId, requester: subjectId, limit: 100, cursor });
    tickets.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return tickets;
}
