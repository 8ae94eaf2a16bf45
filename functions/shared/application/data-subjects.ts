import { type DataSubject, dataSubjectDecider, type RecordSubjectErased, type SubjectEvent } from '../../../domain/subject/subject.ts';
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
