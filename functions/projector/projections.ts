import type { Dsar } from '../../domain/dsar/dsar.ts';
import type { RetentionPolicy } from '../../domain/retention/retention-policy.ts';
import { fold } from '../../domain/ticket/evolve.ts';
import type { Ticket } from '../../domain/ticket/state.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { recorded } from '../../events/upcasters.ts';
import { foldDsar } from '../shared/application/dsar-commands.ts';
import { foldRetentionPolicy } from '../shared/application/retention-policies.ts';
import type { Deps } from '../shared/ports/deps.ts';

/** One kind of stream kept as a view: tickets for the queues, requests for the DPO's lists. */
interface Projection<T extends { version: number }> {
  prefix: string;
  get(deps: Deps, id: string): Promise<T | null>;
  /** Many views at once by id, where streams of the kind come many to a batch. */
  getMany?(deps: Deps, ids: string[]): Promise<Map<string, T>>;
  put(deps: Deps, view: T, options?: { replaceSameVersion?: boolean }): Promise<boolean>;
  fold(events: StoredEvent[], from: T | null): T | null;
}

const tickets: Projection<Ticket> = {
  prefix: 'ticket#',
  get: (deps, id) => deps.ticketViews.get(id),
  getMany: (deps, ids) => deps.ticketViews.getMany(ids),
  put: (deps, view, options) => deps.ticketViews.put(view, options),
  fold: (events, from) => fold(events.map(recorded), from),
};

const dsars: Projection<Dsar> = {
  prefix: 'dsar#',
  get: (deps, id) => deps.dsarViews.get(id),
  put: (deps, view, options) => deps.dsarViews.put(view, options),
  fold: (events, from) => foldDsar(events, from),
};

const retentionPolicies: Projection<RetentionPolicy> = {
  prefix: 'retention-policy#',
  get: (deps, tenantId) => deps.retentionPolicies.get(tenantId),
  put: (deps, view, options) => deps.retentionPolicies.put(view, options),
  fold: (events, from) => (events.length === 0 ? from : foldRetentionPolicy(from?.tenantId ?? events[0]!.tenantId, events, from)),
};

export const projections = [tickets, dsars, retentionPolicies] as Array<Projection<{ version: number }>>;

export const projectionOf = (streamId: string) => projections.find((p) => streamId.startsWith(p.prefix));

/** The views a batch's streams had before it, read together per kind that can (getMany). */
export type Preloaded = Map<Projection<{ version: number }>, Map<string, { version: number }>>;

export async function preload(deps: Deps, streamIds: string[]): Promise<Preloaded> {
  const preloaded: Preloaded = new Map();
  for (const projection of projections) {
    const ids = streamIds
      .filter((streamId) => streamId.startsWith(projection.prefix))
      .map((streamId) => streamId.slice(projection.prefix.length));
    if (projection.getMany && ids.length > 1) preloaded.set(projection, await projection.getMany(deps, ids));
  }
  return preloaded;
}

/**
 * Brings one stream's view up to the events delivered for it. Duplicates and older events change
 * nothing; a gap (a record lost or delivered out of order) is filled from the event store.
 */
export async function projectStream(deps: Deps, streamId: string, delivered: StoredEvent[], preloaded?: Preloaded): Promise<void> {
  const projection = projectionOf(streamId);
  if (!projection) return;
  const id = streamId.slice(projection.prefix.length);
  const current = preloaded?.has(projection) ? (preloaded.get(projection)!.get(id) ?? null) : await projection.get(deps, id);
  const seen = current?.version ?? 0;
  const fresh = [...new Map(delivered.filter((e) => e.version > seen).map((e) => [e.version, e])).values()].sort(
    (a, b) => a.version - b.version,
  );
  if (fresh.length === 0) return;
  const contiguous = fresh.every((event, i) => event.version === seen + 1 + i);
  const next = contiguous ? projection.fold(fresh, current) : projection.fold(await deps.eventStore.readStream(streamId), null);
  if (next) await projection.put(deps, next);
}

/** Recomputes one stream's view from its whole stream, replacing a view of the same version. */
export async function rebuildStream(deps: Deps, streamId: string): Promise<void> {
  const projection = projectionOf(streamId);
  const view = projection?.fold(await deps.eventStore.readStream(streamId), null);
  if (view) await projection!.put(deps, view, { replaceSameVersion: true });
}
