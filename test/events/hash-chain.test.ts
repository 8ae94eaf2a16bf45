import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEventText, canonicalJson, chainEvents, eventHash, genesisHash, type UnchainedEvent } from '../../events/hash-chain.ts';
import { canonicalLogEntryText, logEntryHash } from '../../events/tenant-log.ts';
import { eventToItem, storedCanonicalText } from '../../functions/shared/dynamodb/event-store.ts';

const opened: UnchainedEvent = {
  eventId: '01JDZ00000000000000000EV01',
  streamId: 'ticket#01JDZ0000000000000000000AA',
  version: 1,
  type: 'TicketOpened',
  schemaVersion: 2,
  occurredAt: '2026-11-24T09:00:00.000Z',
  recordedAt: '2026-11-24T09:00:00.000Z',
  region: 'eu-central-1',
  tenantId: 'acme',
  actor: { type: 'user', id: 'agent-1' },
  correlationId: 'c-1',
  causationId: 'r-1',
  data: { subject: 'pii:1:s:abc', tags: ['ünïcode', '€'], priority: 'normal' },
};

describe('the canonical form (RFC 8785, JSON Canonicalization Scheme)', () => {
  it("serialises the RFC's own example exactly (section 3.2.2)", () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units, at every depth, whatever order they were written in', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null }, é: 1, Z: 0 })).toBe(
      '{"Z":0,"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1,"é":1}',
    );
  });
});

describe('the event hash chain', () => {
  it('hashes the stored record without its hash: the same digest another implementation computes', () => {
    // Computed independently with Python: sha256(json.dumps(record, sort_keys=True, separators=(',', ':'), ensure_ascii=False)).
    const [event] = chainEvents([opened], genesisHash);
    expect(event!.prevHash).toBe(genesisHash);
    expect(event!.hash).toBe('3f2eda0a7278558ed31726042b37e145a22c90314c3bf236225f279a4704ac22');
    expect(eventHash(event!)).toBe(event!.hash);
  });

  it('links each event to the one before it, so any change to a field or to the order breaks the chain', () => {
    const second = {
      ...opened,
      eventId: '01JDZ00000000000000000EV02',
      version: 2,
      type: 'PriorityChanged',
      schemaVersion: 1,
      data: { from: 'normal', to: 'high' },
    };
    const [first, next] = chainEvents([opened, second], genesisHash);
    expect(next!.prevHash).toBe(first!.hash);
    for (const change of [
      { version: 3 },
      { tenantId: 'globex' },
      { data: { from: 'normal', to: 'urgent' } },
      { prevHash: genesisHash },
      { actor: { type: 'user' as const, id: 'x' } },
    ]) {
      expect(eventHash({ ...next!, ...change })).not.toBe(next!.hash);
    }
  });

  it('hashes region log entries the same way, over every field but their own hash', () => {
    const entry = {
      seq: 1,
      streamId: 's',
      version: 1,
      eventId: 'e',
      tenantId: 't',
      recordedAt: '2026-11-24T09:00:00.000Z',
      eventHash: 'a',
      prevHash: genesisHash,
    };
    const hash = logEntryHash(entry);
    expect(logEntryHash({ ...entry, hash } as never)).toBe(hash);
    expect(logEntryHash({ ...entry, seq: 2 })).not.toBe(hash);
  });
});

describe('the fast canonical paths are RFC 8785 (property test, fixed seed)', () => {
  // Mostly plain ids (the fast quoting), sometimes any text (escapes, astral characters).
  const text = fc.oneof(
    { arbitrary: fc.stringMatching(/^[\w:#.-]{0,20}$/), weight: 4 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  );
  const record = fc.record({
    eventId: text,
    streamId: text,
    version: fc.integer({ min: 1 }),
    type: text,
    schemaVersion: fc.integer({ min: 1, max: 9 }),
    occurredAt: text,
    recordedAt: text,
    region: text,
    tenantId: text,
    actor: fc.record({ type: fc.constantFrom('user' as const, 'system' as const), id: text }),
    correlationId: text,
    causationId: text,
    data: fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })),
    prevHash: text,
  });

  it('assembles the same text as the generic serialiser for any well-formed event', () => {
    fc.assert(
      fc.property(record, (event) => {
        expect(canonicalEventText(event)).toBe(canonicalJson(event));
        expect(storedCanonicalText(eventToItem({ ...event, hash: genesisHash }))).toBe(canonicalJson(event));
      }),
      { seed: 20261124, numRuns: 500 },
    );
  });

  it('falls back to the generic serialiser for damaged records (extra fields, wrong types)', () => {
    fc.assert(
      fc.property(
        record,
        fc.constantFrom({ extra: 1 }, { version: '2' }, { actor: 'agent' }, { actor: { type: 'user', id: 'a', role: 'x' } }),
        (event, damage) => {
          expect(canonicalEventText({ ...event, ...damage } as never)).toBe(canonicalJson({ ...event, ...damage }));
        },
      ),
      { seed: 20261124, numRuns: 200 },
    );
  });

  it('assembles the same text for any log entry', () => {
    const entry = fc.record({
      seq: fc.integer({ min: 1 }),
      streamId: text,
      version: fc.integer({ min: 1 }),
      eventId: text,
      tenantId: text,
      recordedAt: text,
      eventHash: text,
      prevHash: text,
    });
    fc.assert(
      fc.property(entry, (value) => {
        expect(canonicalLogEntryText(value)).toBe(canonicalJson(value));
      }),
      { seed: 20261124, numRuns: 500 },
    );
  });
});
