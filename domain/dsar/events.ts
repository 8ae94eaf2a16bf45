import type { DsarLaw } from './deadlines.ts';
import type { DsarType } from './vocabulary.ts';

/** A rectification's corrected contact details. */
export interface Corrections {
  name?: string;
  email?: string;
  phone?: string;
}

/** What fulfilling a request did: what a bundle held, or how many tickets were erased or corrected. */
export type DsarResult =
  | { type: 'access' | 'export'; tickets: number; messages: number; events: number; bundleSha256: string }
  | { type: 'erasure'; tickets: number; subjectErased: boolean }
  | { type: 'rectification'; tickets: number };

/** What a data subject asks for, as the DPO records it. */
export interface DsarRequest {
  dsarId: string;
  requestType: DsarType;
  law: DsarLaw;
  /** Null when no data subject matched: then nothing is held on them. */
  subjectId: string | null;
  identifiedBy: 'email' | 'requesterId';
  /** Sealed with the request's own key, like the corrections. */
  notes: string | null;
  corrections: Corrections | null;
}

/** What happens to a data-subject request (stream `dsar#<id>`); the stored form is in events/dsar-events.ts. */
export type DsarEvent =
  | {
      type: 'DsarRequested';
      data: DsarRequest & { requestedAt: string; dueAt: string; warnAt: string };
    }
  | { type: 'DsarDeadlineWarned'; data: { dueAt: string } }
  | { type: 'DsarEscalated'; data: { dueAt: string } }
  | { type: 'DsarFulfilled'; data: { result: DsarResult; late: boolean } };

export type DsarEventType = DsarEvent['type'];
