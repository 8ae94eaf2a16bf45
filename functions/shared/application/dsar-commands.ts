import { type Dsar, type DsarCommand, type DsarError, dsarDecider } from '../../../domain/dsar/dsar.ts';
import type { DsarEvent } from '../../../domain/dsar/events.ts';
import { MeridianError } from '../../../domain/meridian-error.ts';
import { dsarEventForm, dsarStreamId } from '../../../events/dsar-events.ts';
import type { StoredEvent } from '../../../events/envelope.ts';
import { seal } from '../platform/sealing.ts';
import type { Deps } from '../ports/deps.ts';
import { foldStored, handleCommand, loadStream, type StreamWriter } from './command-handler.ts';
import type { CommandContext } from './commands.ts';
import { mapFields, openSealed } from './personal-data.ts';

export class DsarRefused extends MeridianError {
  constructor(readonly refusal: DsarError) {
    super(refusal.code);
  }
}
/** Absent, or another tenant's. */
export class DsarNotFound extends MeridianError {}

/** The DPO's notes and a rectification's corrections: sealed with the request's own data key. */
const sealedFields = [['notes'], ['corrections', 'name'], ['corrections', 'email'], ['corrections', 'phone']] as const;

const dsarWriter: StreamWriter<Dsar | null, DsarCommand, DsarEvent, DsarError> = {
  kind: 'data-subject request',
  decider: dsarDecider,
  form: dsarEventForm,
  notFound: () => new DsarNotFound(),
  refused: (refusal) => (refusal.code === 'dsar_not_found' ? new DsarNotFound() : new DsarRefused(refusal)),
  seal: async (deps, tenantId, _, events) => ({ events: await Promise.all(events.map((event) => sealRequest(deps, tenantId, event))) }),
};

/** The request as its stream says now, from `from` (its view) if given. */
export const foldDsar = (events: StoredEvent[], from: Dsar | null = null): Dsar | null => foldStored(dsarWriter, events, from);

export async function loadDsar(deps: Deps, dsarId: string, tenantId: string): Promise<{ dsar: Dsar; events: StoredEvent[] }> {
  const { state, events } = await loadStream(deps, dsarWriter, dsarStreamId(dsarId), tenantId);
  if (!state) throw new DsarNotFound();
  return { dsar: state, events };
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

/** Decides a command against the request's stream and appends the outcome. */
export async function commitDsar(
  deps: Deps,
  { dsarId, ...write }: DsarWrite,
): Promise<{ dsar: Dsar; events: StoredEvent[]; replayed: boolean }> {
  const { state, events, replayed } = await handleCommand(deps, dsarWriter, { ...write, streamId: dsarStreamId(dsarId) });
  if (!state) throw new DsarNotFound();
  return { dsar: state, events, replayed };
}
