import { accept, type Decider, type RecordedEvent } from '../decider.ts';
import type { RetentionEvent } from './events.ts';

/** The longest retention a policy may set: a hundred years, i.e. effectively "keep". */
export const maxRetentionDays = 36_500;

/**
 * How long a tenant keeps closed tickets: once a ticket has been closed for the given number of
 * days, the retention job crypto-shreds it (TicketErased, reason retention). Null keeps them.
 */
export interface RetentionPolicy {
  tenantId: string;
  eraseClosedTicketsAfterDays: number | null;
  /** When it was last set; null while never set. */
  updatedAt: string | null;
  updatedBy: string | null;
  version: number;
}

export type RetentionPolicyInForce = RetentionPolicy & { eraseClosedTicketsAfterDays: number };
export const isInForce = (policy: RetentionPolicy): policy is RetentionPolicyInForce => policy.eraseClosedTicketsAfterDays !== null;

const dayMs = 24 * 60 * 60 * 1000;
/** The latest closing time a policy of `days` reaches at `asOf`. */
export const closedBy = (days: number, asOf: Date): Date => new Date(asOf.getTime() - days * dayMs);

export type SetRetentionPolicy = { type: 'SetRetentionPolicy'; eraseClosedTicketsAfterDays: number | null };

export const noPolicy = (tenantId: string): RetentionPolicy => ({
  tenantId,
  eraseClosedTicketsAfterDays: null,
  updatedAt: null,
  updatedBy: null,
  version: 0,
});

/** Setting what is already set records nothing; a policy refuses nothing. */
export const decideRetentionPolicy = (command: SetRetentionPolicy, state: RetentionPolicy) =>
  accept<RetentionEvent>(
    command.eraseClosedTicketsAfterDays === state.eraseClosedTicketsAfterDays && state.version > 0
      ? []
      : [{ type: 'RetentionPolicySet', data: { eraseClosedTicketsAfterDays: command.eraseClosedTicketsAfterDays } }],
  );

export const evolveRetentionPolicy = (state: RetentionPolicy, event: RecordedEvent<RetentionEvent>): RetentionPolicy => ({
  ...state,
  eraseClosedTicketsAfterDays: event.data.eraseClosedTicketsAfterDays,
  updatedAt: event.occurredAt,
  updatedBy: event.actorId,
  version: event.version,
});

export const retentionPolicyDecider: Decider<RetentionPolicy, SetRetentionPolicy, RetentionEvent, never> = {
  initialState: noPolicy,
  decide: decideRetentionPolicy,
  evolve: evolveRetentionPolicy,
};
