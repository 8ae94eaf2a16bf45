import { setTimeout as sleep } from 'node:timers/promises';
import { type Dsar, type DsarCommand, type DsarError, decideDsar, evolveDsar } from '../../domain/dsar/dsar.ts';
import { MeridianError } from '../../domain/meridian-error.ts';
import { type DsarEvent, dsarEventOf, dsarEventSchemas, dsarStreamId } from '../../events/dsar-events.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { genesisHash } from '../../events/hash-chain.ts';
import { envelopedEvents } from './append-events.ts';
import { type CommandContext, IdempotencyKeyReused, WriteContention } from './commands.ts';
import type { Deps } from './composition.ts';
import { ConcurrencyError } from './event-store.ts';
import { mapFields, openSealed } from './personal-data/personal-data.ts';
import { seal } from './personal-data/sealing.ts';

export class DsarRefused extends MeridianError {
  constructor(readonly refusal: DsarError) {
    super(refusal.code);
  }
}
/** Absent, or another tenant's. */
export class DsarNotFound extends MeridianError {}

/** The DPO's notes and a rectification's corrections: sealed with the request's own data key. */
const sealedFields = [['notes'], ['corrections', 'name'], ['corrections', 'email'], ['corrections', 'phone']] as const;

export const foldDsar = (events: StoredEvent[], from: Dsar | null = null): Dsar | null =>
  events.reduce<Dsar | null>(
    (state, stored) =>
      evolveDsar(state, { ...dsarEventOf(stored), version: stored.version, occurredAt: stored.occurredAt, tenantId: stored.tenantId }),
    from,
  );

export async function loadDsar(deps: Deps, dsarId: string, tenantId: string): Promise<{ dsar: Dsar; events: StoredEvent[] }> {
  const events = await deps.eventStore.readStream(dsarStreamId(dsarId));
  if (events[0]?.tenantId !== tenantId) throw new DsarNotFound();
  return { dsar: foldDsar(events)!, events };
}

/** The request with its notes and corrections opened; null where its key was destroyed. */
export async function openDsar(deps: Deps, dsar: Dsar): Promise<Dsar> {
  return mapFields(dsar, sealedFields, (text) => openSealed(deps.subjectKeys, dsar.tenantId, text));
}

async function sealRequest(deps: Deps, tenantId: string, event: DsarEvent): Promise<DsarEvent> {
  if (event.type !== 'DsarRequested' || (event.data.notes === null && event.data.corrections === null)) return event;
  const keyId = event.data.dsarId;
  await deps.subjectKeys.create({ tenantId, subjectId: keyId });
  const key = await deps.subjectKeys.dataKey({ tenantId, subjectId: keyId });
  return { ...event, data: await mapFields(event.data, sealedFields, async (text) => seal(text, key, tenantId, keyId)) };
}

export interface DsarWrite {
  dsarId: string;
  command: DsarCommand;
  context: CommandContext;
  idempotency?: { key: string; requestHash: string };
}

/** Decides a command against the request's stream and appends the outcome, re-deciding after a lost race. */
export async function commitDsar(deps: Deps, write: DsarWrite): Promise<{ dsar: Dsar; events: StoredEvent[]; replayed: boolean }> {
  const streamId = dsarStreamId(write.dsarId);
  const { tenantId } = write.context;
  for (let attempt = 0; attempt < deps.config.maxWriteAttempts; attempt++) {
    const now = deps.clock();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (write.idempotency) {
      const earlier = await deps.idempotency.find(tenantId, write.idempotency.key, nowSeconds);
      if (earlier) {
        if (earlier.requestHash !== write.idempotency.requestHash) throw new IdempotencyKeyReused();
        const { dsar, events } = await loadDsar(deps, earlier.streamId.slice('dsar#'.length), tenantId);
        return {
          dsar,
          events: events.filter((e) => e.version >= earlier.firstVersion && e.version <= earlier.lastVersion),
          replayed: true,
        };
      }
    }
    const stored = await deps.eventStore.readStream(streamId);
    if (stored[0] && stored[0].tenantId !== tenantId) throw new DsarNotFound();
    const before = foldDsar(stored);
    const decision = decideDsar(write.command, before, now);
    if (!decision.ok) throw decision.error.code === 'dsar_not_found' ? new DsarNotFound() : new DsarRefused(decision.error);
    if (decision.events.length === 0) return { dsar: before!, events: [], replayed: false };

    const version = before?.version ?? 0;
    const toStore = await Promise.all(decision.events.map((event) => sealRequest(deps, tenantId, event)));
    const newEvents = toStore.map((event) => ({
      type: event.type,
      schemaVersion: dsarEventSchemas[event.type].schemaVersion,
      data: event.data,
    }));
    const events = envelopedEvents(deps, streamId, version, now, write.context, newEvents, stored.at(-1)?.hash ?? genesisHash);
    const guards = write.idempotency
      ? [
          deps.idempotency.claim(
            {
              tenantId,
              ...write.idempotency,
              streamId,
              firstVersion: version + 1,
              lastVersion: version + events.length,
              expiresAt: nowSeconds + deps.config.idempotencyTtlSeconds,
            },
            nowSeconds,
          ),
        ]
      : [];
    try {
      await deps.eventStore.append(events, guards);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      await sleep(Math.random() * Math.min(250, 4 * 2 ** attempt));
      continue;
    }
    return { dsar: foldDsar([...stored, ...events])!, events, replayed: false };
  }
  throw new WriteContention('data-subject request');
}
