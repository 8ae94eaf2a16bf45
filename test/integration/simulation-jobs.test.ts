import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TicketOutcome } from '../../domain/simulation/replay.ts';
import { maxTicketsListed } from '../../functions/shared/application/simulations.ts';
import type { SimulationJob } from '../../functions/shared/ports/simulation-jobs.ts';
import { testDeps } from '../support/deps.ts';

const newId = monotonicFactory();
const due = (i: number) => new Date(Date.parse('2026-11-01T00:00:00Z') + i * 61_013).toISOString();
const outcome = (i: number, breached: boolean): TicketOutcome => ({
  status: 'solved',
  priority: breached ? 'high' : 'normal',
  team: `team-${i % 7}`,
  assignee: `agent-${randomBytes(3).toString('hex')}`,
  breaches: breached ? [{ metric: 'firstReply', dueAt: due(i) }] : [],
  dueAt: { firstReply: due(i), nextReply: due(i + 1), resolution: due(i + 2) },
  triggers: { 'chat-high': 1, [`rule-${i % 13}`]: 2 },
  automations: { 'pending-nudge': 1 },
});

describe('simulation jobs in the idempotency table', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  beforeAll(async () => {
    deps = await testDeps();
  });

  it('keep a result listing the most tickets a result lists, under DynamoDB’s 400 KB item, and read it back whole', async () => {
    const tickets = Array.from({ length: maxTicketsListed }, (_, i) => ({
      ticketId: newId(),
      changed: ['priority', 'breaches', 'dueAt'] as const,
      baseline: outcome(i, false),
      draft: outcome(i, true),
    }));
    const job: SimulationJob = {
      tenantId: 'acme',
      simulationId: newId(),
      status: 'succeeded',
      requestedAt: '2026-12-07T10:00:00.000Z',
      finishedAt: '2026-12-07T10:01:00.000Z',
      request: { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', setupVersion: 3, draft: [] },
      result: { totals: {} as never, tickets: tickets.map((t) => ({ ...t, changed: [...t.changed] })), ticketsTruncated: true },
      failure: null,
    };
    await deps.simulations.put(job);
    expect(await deps.simulations.get('acme', job.simulationId)).toEqual(job);
    expect(await deps.simulations.get('globex', job.simulationId)).toBeNull();
  });
});
