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
  const actor = `{"id":${jsonStringText(r.actor.id)},"type":${jsonStringText(r.actor.type)}}`;
  return envelopeText(r, actor, canonicalJson(r.data), r.schemaVersion, r.version);
}

export const envelopeStringKeys = [
  'causationId',
  'correlationId',
  'eventId',
  'occurredAt',
  'prevHash',
  'recordedAt',
  'region',
  'streamId',
  'tenantId',
  'type',
] as const;
export type EnvelopeStringKey = (typeof envelopeStringKeys)[number];
const envelopeKeys = [...envelopeStringKeys, 'actor', 'data', 'schemaVersion', 'version'];

export type EnvelopeStrings = Readonly<Record<EnvelopeStringKey, string>>;

/**
 * The one place the envelope's RFC 8785 key order is written: its strings escaped here, `actor`
 * and `data` given as canonical JSON text, the versions as integers. Events in memory and
 * records as stored (`storedCanonicalText`) are both assembled by it.
 */
export function envelopeText(
  strings: EnvelopeStrings,
  actorJson: string,
  dataJson: string,
  schemaVersion: number | string,
  version: number | string,
): string {
  const { causationId, correlationId, eventId, occurredAt, prevHash, recordedAt, region, streamId, tenantId, type } = strings;
  const s = jsonStringTextFor(
    causationId + correlationId + eventId + occurredAt + prevHash + recordedAt + region + streamId + tenantId + type,
  );
  return (
    `{"actor":${actorJson},"causationId":${s(causationId)},"correlationId":${s(correlationId)},"data":${dataJson},` +
    `"eventId":${s(eventId)},"occurredAt":${s(occurredAt)},"prevHash":${s(prevHash)},"recordedAt":${s(recordedAt)},` +
    `"region":${s(region)},"schemaVersion":${schemaVersion},"streamId":${s(streamId)},"tenantId":${s(tenantId)},` +
    `"type":${s(type)},"version":${version}}`
  );
}

const plainAscii = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const quoted = (value: string) => `"${value}"`;

/**
 * `jsonStringText`, or plain quoting when one test over a record's strings, given concatenated,
 * shows that none needs escaping: they are ids, timestamps and hashes, and verify serialises
 * every event of a region, so the per-string test is felt.
 */
export const jsonStringTextFor = (allStrings: string): ((value: string) => string) =>
  plainAscii.test(allStrings) ? quoted : jsonStringText;

/**
 * A string's RFC 8785 form: JSON.stringify's (quoted as is when nothing needs escaping), and a
 * lone surrogate refused, as JCS refuses it.
 */
export const jsonStringText = (value: string): string => {
  if (plainAscii.test(value)) return `"${value}"`;
  if (!value.isWellFormed()) throw new Error('Lone surrogate is not allowed');
  return JSON.stringify(value);
};

function isWellFormedEnvelope(record: Record<string, unknown>): boolean {
  const keys = Object.keys(record);
  if (keys.length !== envelopeKeys.length || !envelopeKeys.every((key) => key in record)) return false;
  const actor = record.actor as Record<string, unknown> | null;
  return (
    envelopeStringKeys.every((key) => typeof record[key] === 'string') &&
    Number.isSafeInteger(record.version) &&
    Number.isSafeInteger(record.schemaVersion) &&
    typeof actor === 'object' &&
    actor !== null &&
    !Array.isArray(actor) &&
    Object.keys(actor).length === 2 &&
    typeof actor.id === 'string' &&
    typeof actor.type === 'string' &&
    typeof record.data === 'object' &&
    record.data !== null
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
