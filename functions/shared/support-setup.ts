import { MeridianError } from '../../domain/meridian-error.ts';
import {
  decideSetup,
  emptySetup,
  evolveSetup,
  type SetupCommand,
  type SetupError,
  type SupportSetup,
} from '../../domain/setup/support-setup.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { setupEventOf, setupEventSchemas, supportSetupStreamId } from '../../events/setup-events.ts';
import { appendDecided } from './append-events.ts';
import { type CommandContext, StaleVersion } from './commands.ts';
import type { Deps } from './composition.ts';

export class SetupRefused extends MeridianError {
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
  const { tenantId } = write.context;
  let before = emptySetup(tenantId);
  const { stored, appended } = await appendDecided(
    deps,
    supportSetupStreamId(tenantId),
    write.context,
    (stored) => {
      before = foldSetup(tenantId, stored);
      if (write.expects && !write.expects(before.version)) throw new StaleVersion(before.version, 'support setup');
      const decision = decideSetup(write.command, before);
      if (!decision.ok) throw new SetupRefused(decision.error);
      return decision.events.map((event) => ({ ...event, schemaVersion: setupEventSchemas[event.type].schemaVersion }));
    },
    'support setup',
  );
  setupCacheOf(deps).delete(tenantId);
  return { before, setup: foldSetup(tenantId, [...stored, ...appended]) };
}
