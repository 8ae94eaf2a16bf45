import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { StoredEvent } from './envelope.ts';

/**
 * The tamper-evident chain over the stored form of every event (ciphertext included).
 *
 * `hash` = SHA-256 (hex) of the RFC 8785 (JSON Canonicalization Scheme) serialisation of the
 * stored record without its `hash`: every envelope field, `actor` and `data` as JSON values (as
 * parsed from the stored text), and `prevHash`, which is the `hash` of the stream's previous
 * version, or 64 zeros for version 1. Changing, removing, reordering or inserting any event of a
 * stream therefore breaks a link that `audit verify` names.
 */
export const genesisHash = '0'.repeat(64);
export const sha256HexPattern = /^[0-9a-f]{64}$/;

export type UnchainedEvent = Omit<StoredEvent, 'prevHash' | 'hash'>;

/** One-shot SHA-256 (node:crypto `hash`, Node 20.12+): about 40 % faster than createHash for small records. */
export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

/** The canonical text that is hashed: one serialisation, the same on every machine and in every language. */
export const canonicalJson = (value: unknown): string => {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('not a JSON value');
  return text;
};

export const eventHash = (event: Omit<StoredEvent, 'hash'>): string => sha256Hex(canonicalEventText(event));

/**
 * The RFC 8785 text of an event record. The envelope's keys are fixed, so for a well-formed
 * record the text is assembled in their sorted order directly (verify hashes every event of a
 * region; the generic serialiser would dominate). Anything else, such as a damaged record, goes
 * through the generic path; a property test holds both to the same output.
 */
export function canonicalEventText(event: Omit<StoredEvent, 'hash'>): string {
  const { hash: _ignored, ...record } = event as StoredEvent;
  if (!isWellFormedEnvelope(record)) return canonicalJson(record);
  const r = record as Omit<StoredEvent, 'hash'>;
  return (
    `{"actor":{"id":${text(r.actor.id)},"type":${text(r.actor.type)}},"causationId":${text(r.causationId)},` +
    `"correlationId":${text(r.correlationId)},"data":${canonicalJson(r.data)},"eventId":${text(r.eventId)},` +
    `"occurredAt":${text(r.occurredAt)},"prevHash":${text(r.prevHash)},"recordedAt":${text(r.recordedAt)},` +
    `"region":${text(r.region)},"schemaVersion":${r.schemaVersion},"streamId":${text(r.streamId)},` +
    `"tenantId":${text(r.tenantId)},"type":${text(r.type)},"version":${r.version}}`
  );
}

const envelopeKeys = ['actor', 'causationId', 'correlationId', 'data', 'eventId', 'occurredAt', 'prevHash', 'recordedAt', 'region', 'schemaVersion', 'streamId', 'tenantId', 'type', 'version'];
const stringKeys = ['causationId', 'correlationId', 'eventId', 'occurredAt', 'prevHash', 'recordedAt', 'region', 'streamId', 'tenantId', 'type'] as const;

/** JSON.stringify of a string is its RFC 8785 form, unless it holds a lone surrogate (which JCS refuses). */
const text = (value: string) => {
  if (!value.isWellFormed()) throw new Error('Lone surrogate is not allowed');
  return JSON.stringify(value);
};

function isWellFormedEnvelope(record: Record<string, unknown>): boolean {
  const keys = Object.keys(record);
  if (keys.length !== envelopeKeys.length || !envelopeKeys.every((key) => key in record)) return false;
  const actor = record.actor as Record<string, unknown> | null;
  return (
    stringKeys.every((key) => typeof record[key] === 'string') &&
    Number.isSafeInteger(record.version) &&
    Number.isSafeInteger(record.schemaVersion) &&
    typeof actor === 'object' && actor !== null && !Array.isArray(actor) &&
    Object.keys(actor).length === 2 && typeof actor.id === 'string' && typeof actor.type === 'string' &&
    typeof record.data === 'object' && record.data !== null
  );
}

/** Links consecutive events of one stream to each other and to the stream's last stored hash. */
export function chainEvents(events: UnchainedEvent[], prevHash: string): StoredEvent[] {
  const chained: StoredEvent[] = [];
  let previous = prevHash;
  for (const event of events) {
    const linked = { ...event, prevHash: previous };
    const hash = eventHash(linked);
    chained.push({ ...linked, hash });
    previous = hash;
  }
  return chained;
}
