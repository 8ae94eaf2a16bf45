import { describe, expect, it } from 'vitest';
import { runFaultScenario } from '../support/fault-scenario.ts';

describe('faults: throttling, cancelled transactions, lost answers, an engine restart, chaotic deliveries', () => {
  it('loses nothing, records nothing twice, and leaves views equal to a rebuild', async () => {
    const report = await runFaultScenario({
      clients: 6,
      durationMs: 60_000,
      ticketsPerClient: 12,
      restartAtMs: 3_000,
      dsars: 3,
      rates: { throttle: 0.03, transactionConflict: 0.1, lostAnswer: 0.03, redeliver: 0.2, crashMidBatch: 0.1, deliverTwice: 0.5 },
    });
    // Every kind of fault happened, or the rest proves nothing.
    for (const [fault, count] of Object.entries(report.faults)) expect(count, `${fault} in ${JSON.stringify(report)}`).toBeGreaterThan(0);
    expect(report.restartMs).not.toBeNull();
    expect(report.tickets).toBeGreaterThan(20);
    expect(report).toMatchObject({
      errors: 0,
      lost: 0,
      duplicated: 0,
      viewsDifferingFromRebuild: 0,
      auditVerifyExit: 0,
      unhandledErrors: 0,
      // The clock jumped past every one-minute first-reply target; each timer fired, some twice.
      slaBreaches: report.tickets,
      dsarsFulfilled: 3,
      deadLetters: 0,
    });
    expect(report.messages).toBe(2 * report.tickets);
    // While the engine was down, answers were 503 with Retry-After, never 500.
    expect(Object.keys(report.statuses).filter((status) => status.startsWith('5') && status !== '503')).toEqual([]);
  }, 180_000);
});
