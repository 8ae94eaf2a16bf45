import { createHash } from 'node:crypto';
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

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The canonical text that is hashed: one serialisation, the same on every machine and in every language. */
export const canonicalJson = (value: unknown): string => {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('not a JSON value');
  return text;
};

export const eventHash = (event: Omit<StoredEvent, 'hash'>): string => {
  const { hash: _ignored, ...record } = event as StoredEvent;
  return sha256Hex(canonicalJson(record));
};

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
