import { decideRetentionPolicy, evolveRetentionPolicy, noPolicy, type RetentionPolicy } from '../../domain/retention/retention-policy.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { retentionEventOf, retentionEventSchemas, retentionPolicyStreamId } from '../../events/retention-events.ts';
import { appendDecided } from './append-events.ts';
import { type CommandContext, StaleVersion } from './commands.ts';
import type { Deps } from './composition.ts';

export const foldRetentionPolicy = (tenantId: string, events: StoredEvent[], from: RetentionPolicy | null = null): RetentionPolicy =>
  events.reduce(
    (state, stored) =>
      evolveRetentionPolicy(state, {
        ...retentionEventOf(stored),
        version: stored.version,
        occurredAt: stored.occurredAt,
        actorId: stored.actor.id,
      }),
    from ?? noPolicy(tenantId),
  );

/** The tenant's policy as its stream says now (read-your-writes). */
export async function loadRetentionPolicy(deps: Deps, tenantId: string): Promise<RetentionPolicy> {
  return foldRetentionPolicy(tenantId, await deps.eventStore.readStream(retentionPolicyStreamId(tenantId)));
}

/** Sets the policy, re-deciding after a lost race; `expects` is If-Match on the policy's version. */
export async function setRetentionPolicy(
  deps: Deps,
  write: { eraseClosedTicketsAfterDays: number | null; context: CommandContext; expects?: (version: number) => boolean },
): Promise<RetentionPolicy> {
  const { tenantId } = write.context;
  const { stored, appended } = await appendDecided(
    deps,
    retentionPolicyStreamId(tenantId),
    write.context,
    (stored) => {
      const before = foldRetentionPolicy(tenantId, stored);
      if (write.expects && !write.expects(before.version)) throw new StaleVersion(before.version, 'retention policy');
      const command = { type: 'SetRetentionPolicy', eraseClosedTicketsAfterDays: write.eraseClosedTicketsAfterDays } as const;
      return decideRetentionPolicy(command, before).map((event) => ({
        ...event,
        schemaVersion: retentionEventSchemas[event.type].schemaVersion,
      }));
    },
    'retention policy',
  );
  return foldRetentionPolicy(tenantId, [...stored, ...appended]);
}
