import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalScheduler } from '../../infra/local/local-scheduler.ts';

const logger = new Logger({ serviceName: 'test', logLevel: 'CRITICAL' });
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function newFile() {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-scheduler-'));
  dirs.push(dir);
  return join(dir, 'schedules.json');
}

function schedulerAt(clock: { now: number }, fired: unknown[], file = newFile(), fail = false) {
  const target = async (payload: Record<string, unknown>) => {
    if (fail) throw new Error('target down');
    fired.push(payload);
  };
  return new LocalScheduler({
    file,
    clock: () => new Date(clock.now),
    logger,
    maxAttempts: 2,
    targets: { 'sla-checker': target, retention: target },
  });
}

describe('the local scheduler', () => {
  it('fires a one-time schedule once it is due, once, and keeps it across a restart until then', async () => {
    const clock = { now: Date.parse('2026-11-25T10:00:00Z') };
    const fired: unknown[] = [];
    const file = newFile();
    const first = schedulerAt(clock, fired, file);
    await first.scheduleOnce({
      name: 'sla-T1-firstReply-1',
      at: new Date('2026-11-25T10:01:00Z'),
      target: 'sla-checker',
      payload: { ticketId: 'T1' },
    });
    await first.scheduleOnce({
      name: 'sla-T1-firstReply-1',
      at: new Date('2026-11-25T10:05:00Z'),
      target: 'sla-checker',
      payload: { ticketId: 'again' },
    });
    await first.fireDue();
    expect(fired).toEqual([]);

    const restarted = schedulerAt(clock, fired, file);
    expect(restarted.pending().map((s) => s.name)).toContain('sla-T1-firstReply-1');
    clock.now = Date.parse('2026-11-25T10:01:00Z');
    await restarted.fireDue();
    await restarted.fireDue();
    expect(fired).toEqual([{ ticketId: 'T1' }]);
    expect(
      schedulerAt(clock, fired, file)
        .pending()
        .map((s) => s.name),
    ).not.toContain('sla-T1-firstReply-1');
  });

  it('retries a failing target on the next ticks, then keeps it as a dead letter', async () => {
    const clock = { now: Date.parse('2026-11-25T10:00:00Z') };
    const scheduler = schedulerAt(clock, [], undefined, true);
    await scheduler.scheduleOnce({ name: 'sla-T2-firstReply-1', at: new Date(clock.now), target: 'sla-checker', payload: {} });
    await scheduler.fireDue();
    expect(scheduler.deadLetters).toEqual([]);
    await scheduler.fireDue();
    expect(scheduler.deadLetters.map((s) => [s.name, s.errorName])).toEqual([['sla-T2-firstReply-1', 'Error']]);
  });

  it('runs the recurring retention job every 24 hours on its clock, without catching up missed runs', async () => {
    const clock = { now: Date.parse('2026-11-25T10:00:00Z') };
    const fired: unknown[] = [];
    const scheduler = schedulerAt(clock, fired);
    expect(scheduler.pending().find((s) => s.name === 'retention')?.at).toBe('2026-11-26T10:00:00.000Z');
    clock.now = Date.parse('2026-12-05T12:00:00Z');
    await scheduler.fireDue();
    expect(fired).toHaveLength(1);
    expect(scheduler.pending().find((s) => s.name === 'retention')?.at).toBe('2026-12-06T12:00:00.000Z');
  });
});
