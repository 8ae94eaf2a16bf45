import { MeridianError } from '../../../domain/meridian-error.ts';
import type { SetupEvent } from '../../../domain/setup/events.ts';
import { type SetupCommand, type SetupError, type SupportSetup, supportSetupDecider } from '../../../domain/setup/support-setup.ts';
import { setupEventForm, supportSetupStreamId } from '../../../events/setup-events.ts';
import type { Deps } from '../ports/deps.ts';
import { handleCommand, loadStream, type StreamWriter } from './command-handler.ts';
import type { CommandContext } from './commands.ts';

export class SetupRefused extends MeridianError {
  constructor(readonly refusal: SetupError) {
    super(refusal.code);
  }
}

export const setupWriter: StreamWriter<SupportSetup, SetupCommand, SetupEvent, SetupError> = {
  kind: 'support setup',
  decider: supportSetupDecider,
  form: setupEventForm,
  notFound: () => new Error('a support setup stream of another tenant'),
  refused: (refusal) => new SetupRefused(refusal),
  changed: (deps, tenantId) => setupCacheOf(deps).delete(tenantId),
};

/** The tenant's calendars, teams, SLA policies and routing rules, as its stream says now. */
export async function loadSetup(deps: Deps, tenantId: string): Promise<SupportSetup> {
  return (await loadStream(deps, setupWriter, supportSetupStreamId(tenantId), tenantId)).state;
}

/** How long a ticket write may decide with a setup an earlier write of the same function instance read. */
export const setupCacheMs = 5_000;
const setupCacheEntries = 1_000;
const setupCaches = new WeakMap<Deps, Map<string, { setup: SupportSetup; until: number }>>();
const setupCacheOf = (deps: Deps) => setupCaches.get(deps) ?? setupCaches.set(deps, new Map()).get(deps)!;

/**
 * The tenant's setup for a ticket write: read at most `setupCacheMs` ago by this function instance
 * (one Query less on every ticket write under load). A change made through the same composition
 * applies at once; one made elsewhere reaches ticket writes within that time.
 */
export async function recentSetup(deps: Deps, tenantId: string): Promise<SupportSetup> {
  const cache = setupCacheOf(deps);
  const cached = cache.get(tenantId);
  if (cached && cached.until > performance.now()) return cached.setup;
  const setup = await loadSetup(deps, tenantId);
  cache.delete(tenantId);
  if (cache.size >= setupCacheEntries) cache.delete(cache.keys().next().value!);
  cache.set(tenantId, { setup, until: performance.now() + setupCacheMs });
  return setup;
}

/** Decides a setup change and appends it; `expects` is If-Match on the setup stream's version. */
export async function commitSetup(
  deps: Deps,
  write: { command: SetupCommand; context: CommandContext; expects?: (version: number) => boolean },
): Promise<{ before: SupportSetup; setup: SupportSetup }> {
  const { before, state } = await handleCommand(deps, setupWriter, { ...write, streamId: supportSetupStreamId(write.context.tenantId) });
  return { before, setup: state };
}
