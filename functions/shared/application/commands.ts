import { MeridianError } from '../../../domain/meridian-error.ts';
import type { Actor } from '../../../domain/ticket/vocabulary.ts';
import type { Deps } from '../ports/deps.ts';

/** Who asks, for which tenant, and why: what every command writes into its events' envelopes. */
export interface CommandContext {
  tenantId: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
}

/** The kinds of stream a command writes, named as the API names them to a caller. */
export type StreamKind =
  | 'ticket'
  | 'data-subject request'
  | 'support setup'
  | 'retention policy'
  | 'data subject'
  | 'webhook subscriptions';

/** If-Match named a version the stream has moved on from. */
export class StaleVersion extends MeridianError {
  constructor(
    readonly currentVersion: number,
    readonly kind: StreamKind = 'ticket',
  ) {
    super(`the ${kind} is at version ${currentVersion}`);
  }
}

/** The same Idempotency-Key came with another request. */
export class IdempotencyKeyReused extends MeridianError {}

/** Every attempt lost the race for the stream's next version: too many writers at once. */
export class WriteContention extends MeridianError {
  constructor(readonly kind: StreamKind) {
    super(`The ${kind} is being changed by many writers at once; retry`);
  }
}

/** Whether a write repeats one already committed under its idempotency key (the same request). */
export async function isReplay(
  deps: Pick<Deps, 'idempotency' | 'clock'>,
  tenantId: string,
  idempotency: { key: string; requestHash: string } | undefined,
) {
  if (!idempotency) return false;
  const earlier = await deps.idempotency.find(tenantId, idempotency.key, Math.floor(deps.clock().getTime() / 1000));
  return earlier?.requestHash === idempotency.requestHash;
}

/** A timer delivered before its due time by the clock: failing makes the scheduler try it again. */
export class TimerFiredEarly extends MeridianError {}
