import { accept, type Decider } from '../decider.ts';

/** What happens to a data subject's own stream (`subject#<id>`): the evidence of their erasure. */
export type SubjectEvent = { type: 'SubjectErased'; data: { subjectId: string; dsarId: string; tickets: number } };

/** The erasure requests the subject's stream has recorded. */
export interface DataSubject {
  erasedBy: string[];
}

export type RecordSubjectErased = { type: 'RecordSubjectErased'; subjectId: string; dsarId: string; tickets: number };

/** Each erasure request is recorded once, however often its fulfilment is delivered. */
export const dataSubjectDecider: Decider<DataSubject, RecordSubjectErased, SubjectEvent, never> = {
  initialState: () => ({ erasedBy: [] }),
  decide: ({ type: _, ...data }, subject) => accept(subject.erasedBy.includes(data.dsarId) ? [] : [{ type: 'SubjectErased', data }]),
  evolve: (subject, event) => ({ erasedBy: [...subject.erasedBy, event.data.dsarId] }),
};
