import { describe, expect, it } from 'vitest';
import type { RetentionEvent } from '../../domain/retention/events.ts';
import {
  closedBy,
  decideRetentionPolicy,
  evolveRetentionPolicy,
  noPolicy,
  type RetentionPolicy,
} from '../../domain/retention/retention-policy.ts';

const set = (days: number | null): RetentionEvent => ({ type: 'RetentionPolicySet', data: { eraseClosedTicketsAfterDays: days } });
const given = (...history: RetentionEvent[]): RetentionPolicy =>
  history.reduce(
    (state, event, i) =>
      evolveRetentionPolicy(state, {
        ...event,
        version: i + 1,
        occurredAt: `2026-11-2${i}T09:00:00.000Z`,
        tenantId: 'acme',
        actorId: 'dpo-1',
      }),
    noPolicy('acme'),
  );
const when = (state: RetentionPolicy, days: number | null) =>
  decideRetentionPolicy({ type: 'SetRetentionPolicy', eraseClosedTicketsAfterDays: days }, state).events;

describe('retention policy', () => {
  it('a tenant without a policy keeps its tickets', () =>
    expect(given()).toEqual({ tenantId: 'acme', eraseClosedTicketsAfterDays: null, updatedAt: null, updatedBy: null, version: 0 }));
  it('setting a period records it', () => expect(when(given(), 30)).toEqual([set(30)]));
  it('setting "keep" explicitly is recorded too, so the decision is on file', () => expect(when(given(), null)).toEqual([set(null)]));
  it('setting what is in force records nothing', () => expect(when(given(set(30)), 30)).toEqual([]));
  it('switching it off is a change', () => expect(when(given(set(30)), null)).toEqual([set(null)]));
  it('folds who set it and when', () =>
    expect(given(set(30), set(90))).toMatchObject({
      eraseClosedTicketsAfterDays: 90,
      updatedAt: '2026-11-21T09:00:00.000Z',
      updatedBy: 'dpo-1',
      version: 2,
    }));
  it('reaches tickets closed whole days before now', () =>
    expect(closedBy(30, new Date('2026-12-31T12:00:00.000Z')).toISOString()).toBe('2026-12-01T12:00:00.000Z'));
});
