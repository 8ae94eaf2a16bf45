import { accept, type DecideContext, type Decider, type Decision, type RecordedEvent, refuse } from '../decider.ts';
import { type DsarLaw, dueAt, warnAt } from './deadlines.ts';
import type { Corrections, DsarEvent, DsarRequest, DsarResult } from './events.ts';
import type { DsarStatus, DsarType } from './vocabulary.ts';

/**
 * A data-subject request (GDPR arts. 15-17 and 20, CCPA, PIPL) as its own stream, audited like a
 * ticket: requested, then warned and escalated by its deadline schedules while open, fulfilled
 * once by the fulfilment function.
 */
export type DsarCommand =
  | ({ type: 'RequestDsar' } & DsarRequest)
  | { type: 'WarnDsarDeadline' }
  | { type: 'EscalateDsar' }
  | { type: 'FulfilDsar'; result: DsarResult };

export interface Dsar {
  id: string;
  tenantId: string;
  type: DsarType;
  law: DsarLaw;
  subjectId: string | null;
  identifiedBy: 'email' | 'requesterId';
  notes: string | null;
  corrections: Corrections | null;
  status: DsarStatus;
  requestedAt: string;
  dueAt: string;
  warnAt: string;
  warnedAt: string | null;
  escalatedAt: string | null;
  fulfilledAt: string | null;
  result: DsarResult | null;
  history: Array<{ event: DsarEvent['type']; at: string }>;
  version: number;
}

export type DsarError = { code: 'dsar_exists' } | { code: 'dsar_not_found' } | { code: 'corrections_required' };
type DsarDecision = Decision<DsarEvent, DsarError>;

/**
 * What a request says to a command at `now`. Schedules fire at least once and maybe early or
 * late, so a warning or escalation that is not (or no longer) due changes nothing.
 */
export function decideDsar(command: DsarCommand, state: Dsar | null, { now }: DecideContext): DsarDecision {
  if (command.type === 'RequestDsar') {
    if (state) return refuse({ code: 'dsar_exists' });
    if (command.requestType === 'rectification' && !hasCorrections(command.corrections)) return refuse({ code: 'corrections_required' });
    const { type: _, ...request } = command;
    const due = dueAt(command.law, now);
    return accept([
      {
        type: 'DsarRequested',
        data: { ...request, requestedAt: now.toISOString(), dueAt: due.toISOString(), warnAt: warnAt(due).toISOString() },
      },
    ]);
  }
  if (!state) return refuse({ code: 'dsar_not_found' });
  if (state.status === 'fulfilled') return accept([]);
  switch (command.type) {
    case 'WarnDsarDeadline':
      return accept(state.warnedAt || now < new Date(state.warnAt) ? [] : [{ type: 'DsarDeadlineWarned', data: { dueAt: state.dueAt } }]);
    case 'EscalateDsar':
      return accept(state.escalatedAt || now < new Date(state.dueAt) ? [] : [{ type: 'DsarEscalated', data: { dueAt: state.dueAt } }]);
    case 'FulfilDsar':
      return accept([{ type: 'DsarFulfilled', data: { result: command.result, late: now > new Date(state.dueAt) } }]);
  }
}

const hasCorrections = (corrections: Corrections | null) =>
  corrections !== null && Object.values(corrections).some((value) => value !== undefined);

export function evolveDsar(state: Dsar | null, event: RecordedEvent<DsarEvent>): Dsar | null {
  const history = [...(state?.history ?? []), { event: event.type, at: event.occurredAt }];
  if (event.type === 'DsarRequested') {
    const { dsarId, requestType, ...request } = event.data;
    return {
      id: dsarId,
      tenantId: event.tenantId,
      type: requestType,
      ...request,
      status: 'received',
      warnedAt: null,
      escalatedAt: null,
      fulfilledAt: null,
      result: null,
      history,
      version: event.version,
    };
  }
  if (!state) throw new Error(`${event.type} at version ${event.version} before DsarRequested`);
  const next = { ...state, history, version: event.version };
  switch (event.type) {
    case 'DsarDeadlineWarned':
      return { ...next, warnedAt: event.occurredAt };
    case 'DsarEscalated':
      return { ...next, escalatedAt: event.occurredAt, status: 'overdue' };
    case 'DsarFulfilled':
      return { ...next, fulfilledAt: event.occurredAt, result: event.data.result, status: 'fulfilled' };
  }
}

export const dsarDecider: Decider<Dsar | null, DsarCommand, DsarEvent, DsarError> = {
  initialState: () => null,
  decide: decideDsar,
  evolve: evolveDsar,
};
