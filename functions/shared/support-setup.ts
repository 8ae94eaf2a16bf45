import { decideSetup, emptySetup, evolveSetup, type SetupCommand, type SetupError, type SupportSetup } from '../../domain/setup/support-setup.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { setupEventOf, setupEventSchemas, supportSetupStreamId } from '../../events/setup-events.ts';
import { appendDecided } from './append-events.ts';
import type { Deps } from './composition.ts';
import { type CommandContext, StaleVersion } from './ticket-commands.ts';

export class SetupRefused extends Error {
  constructor(readonly refusal: SetupError) {
    super(refusal.code);
  }
}

export const foldSetup = (tenantId: string, events: StoredEvent[]): SupportSetup =>
  events.reduce((setup, stored) => evolveSetup(setup, { ...setupEventOf(stored), version: stored.version }), emptySetup(tenantId));

/** The tenant's calendars, teams, SLA policies and routing rules, as its stream says now. */
export async function loadSetup(deps: Deps, tenantId: string): Promise<SupportSetup> {
  return foldSetup(tenantId, await deps.eventStore.readStream(supportSetupStreamId(tenantId)));
}

/** Decides a setup change and appends it; `expects` is If-Match on the setup stream's version. */
export async function commitSetup(
  deps: Deps,
  write: { command: SetupCommand; context: CommandContext; expects?: (version: number) => boolean },
): Promise<{ before: SupportSetup; setup: SupportSetup }> {
  const { tenantId } = write.context;
  let before = emptySetup(tenantId);
  const { stored, appended } = await appendDecided(deps, supportSetupStreamId(tenantId), write.context, (stored) => {
    before = foldSetup(tenantId, stored);
    if (write.expects && !write.expects(before.version)) throw new StaleVersion(before.version);
    const decision = decideSetup(write.command, before);
    if (!decision.ok) throw new SetupRefused(decision.error);
    return decision.events.map((event) => ({ ...event, schemaVersion: setupEventSchemas[event.type].schemaVersion }));
  });
  return { before, setup: foldSetup(tenantId, [...stored, ...appended]) };
}
