import { describe, expect, it } from 'vitest';
import { dueAt, plusOneMonth } from '../../domain/dsar/deadlines.ts';
import { type Dsar, type DsarCommand, decideDsar, evolveDsar } from '../../domain/dsar/dsar.ts';
import type { DsarEvent } from '../../domain/dsar/events.ts';

const at = (iso: string) => new Date(iso);
const request: DsarCommand = {
  type: 'RequestDsar',
  dsarId: 'D1',
  requestType: 'access',
  law: 'gdpr',
  subjectId: 'S1',
  identifiedBy: 'email',
  notes: null,
  corrections: null,
};

/** Given these events (each at its time), when the command comes at `now`, then these events. */
function given(...events: Array<[DsarEvent, string]>) {
  let state: Dsar | null = null;
  events.forEach(
    ([event, occurredAt], i) => (state = evolveDsar(state, { ...event, version: i + 1, occurredAt, tenantId: 'acme', actorId: 'dpo-1' })),
  );
  return {
    state: () => state,
    when: (command: DsarCommand, now: string) => decideDsar(command, state, { now: at(now) }),
  };
}

const requested = (): [DsarEvent, string] => {
  const decision = decideDsar(request, null, { now: at('2026-01-31T10:00:00Z') });
  if (!decision.ok) throw new Error('refused');
  return [decision.events[0]!, '2026-01-31T10:00:00Z'];
};

describe('DSAR deadlines', () => {
  it('GDPR: one calendar month, clamped to the last day of a shorter month', () => {
    expect(plusOneMonth(at('2026-01-31T10:00:00Z')).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(plusOneMonth(at('2028-01-31T10:00:00Z')).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(plusOneMonth(at('2026-03-15T08:30:00Z')).toISOString()).toBe('2026-04-15T08:30:00.000Z');
    expect(plusOneMonth(at('2026-12-31T23:00:00Z')).toISOString()).toBe('2027-01-31T23:00:00.000Z');
  });

  it('CCPA: 45 days; PIPL: 30 days', () => {
    expect(dueAt('ccpa', at('2026-11-25T00:00:00Z')).toISOString()).toBe('2027-01-09T00:00:00.000Z');
    expect(dueAt('pipl', at('2026-11-25T00:00:00Z')).toISOString()).toBe('2026-12-25T00:00:00.000Z');
  });
});

describe('a DSAR', () => {
  it('is requested with its due time and the time to warn, seven days before', () => {
    const [event] = requested();
    expect(event).toEqual({
      type: 'DsarRequested',
      data: {
        dsarId: 'D1',
        requestType: 'access',
        law: 'gdpr',
        subjectId: 'S1',
        identifiedBy: 'email',
        notes: null,
        corrections: null,
        requestedAt: '2026-01-31T10:00:00.000Z',
        dueAt: '2026-02-28T10:00:00.000Z',
        warnAt: '2026-02-21T10:00:00.000Z',
      },
    });
  });

  it('refuses a second request on the same stream and a rectification without corrections', () => {
    expect(given(requested()).when(request, '2026-02-01T00:00:00Z')).toEqual({ ok: false, error: { code: 'dsar_exists' } });
    expect(decideDsar({ ...request, requestType: 'rectification', corrections: {} }, null, { now: at('2026-02-01T00:00:00Z') })).toEqual({
      ok: false,
      error: { code: 'corrections_required' },
    });
  });

  it('warns only once it is due, and only once', () => {
    const open = given(requested());
    expect(open.when({ type: 'WarnDsarDeadline' }, '2026-02-21T09:59:59Z')).toEqual({ ok: true, events: [] });
    const warned = open.when({ type: 'WarnDsarDeadline' }, '2026-02-21T10:00:00Z');
    expect(warned).toEqual({ ok: true, events: [{ type: 'DsarDeadlineWarned', data: { dueAt: '2026-02-28T10:00:00.000Z' } }] });
    const after = given(requested(), [{ type: 'DsarDeadlineWarned', data: { dueAt: '2026-02-28T10:00:00.000Z' } }, '2026-02-21T10:00:01Z']);
    expect(after.when({ type: 'WarnDsarDeadline' }, '2026-02-22T00:00:00Z')).toEqual({ ok: true, events: [] });
  });

  it('escalates at its due time if still open, and is then overdue', () => {
    const open = given(requested());
    expect(open.when({ type: 'EscalateDsar' }, '2026-02-28T09:00:00Z')).toEqual({ ok: true, events: [] });
    expect(open.when({ type: 'EscalateDsar' }, '2026-02-28T10:00:00Z')).toEqual({
      ok: true,
      events: [{ type: 'DsarEscalated', data: { dueAt: '2026-02-28T10:00:00.000Z' } }],
    });
    const overdue = given(requested(), [{ type: 'DsarEscalated', data: { dueAt: '2026-02-28T10:00:00.000Z' } }, '2026-02-28T10:00:02Z']);
    expect(overdue.state()!.status).toBe('overdue');
    expect(overdue.when({ type: 'EscalateDsar' }, '2026-03-01T00:00:00Z')).toEqual({ ok: true, events: [] });
  });

  it('is fulfilled once, late if after its due time, and then ignores its schedules', () => {
    const result = { type: 'access' as const, tickets: 2, messages: 3, events: 9, bundleSha256: 'ab' };
    expect(given(requested()).when({ type: 'FulfilDsar', result }, '2026-03-01T00:00:00Z')).toEqual({
      ok: true,
      events: [{ type: 'DsarFulfilled', data: { result, late: true } }],
    });
    const done = given(requested(), [{ type: 'DsarFulfilled', data: { result, late: false } }, '2026-02-01T00:00:00Z']);
    expect(done.state()).toMatchObject({
      status: 'fulfilled',
      fulfilledAt: '2026-02-01T00:00:00Z',
      result,
      history: [{ event: 'DsarRequested' }, { event: 'DsarFulfilled' }],
    });
    for (const command of [{ type: 'FulfilDsar', result }, { type: 'WarnDsarDeadline' }, { type: 'EscalateDsar' }] as DsarCommand[]) {
      expect(done.when(command, '2026-03-05T00:00:00Z')).toEqual({ ok: true, events: [] });
    }
  });

  it('refuses commands on a request that does not exist', () => {
    expect(decideDsar({ type: 'EscalateDsar' }, null, { now: at('2026-01-01T00:00:00Z') })).toEqual({
      ok: false,
      error: { code: 'dsar_not_found' },
    });
  });
});
