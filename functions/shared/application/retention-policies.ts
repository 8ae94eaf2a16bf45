import type { RetentionEvent } from '../../../domain/retention/events.ts';
import { type RetentionPolicy, retentionPolicyDecider, type SetRetentionPolicy } from '../../../domain/retention/retention-policy.ts';
import type { StoredEvent } from '../../../events/envelope.ts';
import { retentionEventForm, retentionPolicyStreamId } from '../../../events/retention-events.ts';
import type { Deps } from '../ports/deps.ts';
import { foldStored, handleCommand, loadStream, type StreamWriter } from './command-handler.ts';
import type { CommandContext } from './commands.ts';

const retentionPolicyWriter: StreamWriter<RetentionPolicy, SetRetentionPolicy, RetentionEvent, never> = {
  kind: 'retention policy',
  decider: retentionPolicyDecider,
  form: retentionEventForm,
  notFound: () => new Error('a retention policy stream of another tenant'),
  refused: (refusal) => refusal,
};

/** The policy as its stream says now, from `from` (its view) if given. */
export const foldRetentionPolicy = (tenantId: string, events: StoredEvent[], from: RetentionPolicy | null = null): RetentionPolicy =>
  foldStored(retentionPolicyWriter, events, from ?? retentionPolicyDecider.initialState(tenantId));

/** The tenant's policy as its stream says now (read-your-writes). */
export async function loadRetentionPolicy(deps: Deps, tenantId: string): Promise<RetentionPolicy> {
  return (await loadStream(deps, retentionPolicyWriter, retentionPolicyStreamId(tenantId), tenantId)).state;
}

/** Sets the policy; `expects` is If-Match on the policy's version. */
export async function setRetentionPolicy(
  deps: Deps,
  write: { eraseClosedTicketsAfterDays: number | null; context: CommandContext; expects?: (version: number) => boolean },
): Promise<RetentionPolicy> {
  const command = { type: 'SetRetentionPolicy', eraseClosedTicketsAfterDays: write.eraseClosedTicketsAfterDays } as const;
  const { state } = await handleCommand(deps, retentionPolicyWriter, {
    streamId: retentionPolicyStreamId(write.context.tenantId),
    command,
    context: write.context,
    expects: write.expects,
  });
  return state;
}
