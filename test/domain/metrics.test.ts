import { describe, expect, it } from 'vitest';
import { handleSeconds, supportMetrics } from '../../domain/metrics/support-metrics.ts';
import type { Ticket } from '../../domain/ticket/state.ts';
import { assigned, message, opened, stateOf, status } from './given-when-then.ts';

// given-when-then stamps event n at 09:00:0n.
const ticket = (overrides: Partial<Ticket>): Ticket => ({ ...stateOf([opened])!, ...overrides });

describe('support metrics', () => {
  it('handle time leaves out the time the ticket waited on the requester', () => {
    const history = [
      opened,
      assigned('agent-1'),
      status({ from: 'new', to: 'open' }),
      status({ from: 'open', to: 'pending' }),
      message('requester'),
      status({ from: 'pending', to: 'open' }),
      status({ from: 'open', to: 'solved' }),
    ];
    // created 09:00:01, pending 09:00:04 to 09:00:06, solved 09:00:07: 6 s less 2 s.
    expect(handleSeconds(stateOf(history)!)).toBe(4);
  });
  it('NPS is promoters less detractors in percent; CSAT counts 4 and 5 as satisfied', () => {
    const scores = [10, 9, 8, 6, 0];
    const tickets = scores.map((score, i) =>
      ticket({
        id: `T${i}`,
        nps: { score, comment: null, at: '2026-11-24T10:00:00.000Z' },
        satisfaction: { score: (i % 5) + 1, comment: null, at: '2026-11-24T10:00:00.000Z' },
      }),
    );
    const { total } = supportMetrics(tickets, []);
    expect(total.nps).toEqual({ responses: 5, promoters: 2, passives: 1, detractors: 2, score: 0 });
    expect(total.csat).toEqual({ responses: 5, averageScore: 3, satisfiedRate: 0.4 });
  });
  it('an empty period has counts of zero and no averages', () =>
    expect(supportMetrics([], ['team']).total).toMatchObject({
      tickets: 0,
      firstResponse: { averageSeconds: null },
      resolution: { rate: null },
      nps: { score: null },
    }));
});
