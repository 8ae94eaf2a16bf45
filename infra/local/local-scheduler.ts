import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  type OneTimeSchedule,
  type RecurringJobName,
  recurringJobs,
  type Scheduler,
  type ScheduleTargetName,
} from '../../functions/shared/ports/scheduler.ts';

type TargetName = ScheduleTargetName | RecurringJobName;
/** A one-time schedule, or a recurring job's next run (`everyMs` set). */
type Stored = Omit<OneTimeSchedule, 'at' | 'target'> & { target: TargetName; at: string; attempts: number; everyMs?: number };
export type ScheduleTarget = (payload: Record<string, unknown>) => Promise<void>;

export interface LocalSchedulerOptions {
  /** Where the schedules are kept, so they survive a restart. */
  file: string;
  targets: Partial<Record<TargetName, ScheduleTarget>>;
  clock: () => Date;
  logger: Logger;
  tickMs?: number;
  maxAttempts?: number;
}

/**
 * EventBridge Scheduler's one-time schedules in `npm start`: kept in a file under the data folder,
 * checked every `tickMs` against the runtime's clock, fired once due, deleted after success (as
 * `ActionAfterCompletion: DELETE`), retried on the next ticks, then kept in `deadLetters`. The
 * recurring jobs (`recurringJobs`) run the same way, each run planned one period after the last.
 */
export class LocalScheduler implements Scheduler {
  readonly deadLetters: Array<Stored & { errorName: string }> = [];
  private readonly schedules = new Map<string, Stored>();
  private timer: NodeJS.Timeout | undefined;
  private running = Promise.resolve();

  constructor(private readonly options: LocalSchedulerOptions) {
    try {
      for (const schedule of JSON.parse(readFileSync(options.file, 'utf8')) as Stored[]) this.schedules.set(schedule.name, schedule);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const job of recurringJobs) {
      const everyMs = job.everyHours * 60 * 60 * 1000;
      if (!this.schedules.has(job.name)) {
        this.schedules.set(job.name, {
          name: job.name,
          target: job.name,
          payload: {},
          at: new Date(options.clock().getTime() + everyMs).toISOString(),
          attempts: 0,
          everyMs,
        });
      }
    }
  }

  async scheduleOnce(schedule: OneTimeSchedule) {
    if (this.schedules.has(schedule.name)) return;
    this.schedules.set(schedule.name, { ...schedule, at: schedule.at.toISOString(), attempts: 0 });
    this.save();
  }

  /** The schedules not fired yet (for tests and the runtime's status). */
  pending(): Array<{ name: string; at: string; target: TargetName }> {
    return [...this.schedules.values()].map(({ name, at, target }) => ({ name, at, target }));
  }

  start() {
    this.timer = setInterval(() => (this.running = this.running.then(() => this.fireDue())), this.options.tickMs ?? 1000);
  }

  async stop() {
    clearInterval(this.timer);
    await this.running;
  }

  /** Fires every schedule due by the clock; also what each tick does. */
  async fireDue() {
    const now = this.options.clock().getTime();
    for (const schedule of [...this.schedules.values()].filter((s) => Date.parse(s.at) <= now).sort((a, b) => a.at.localeCompare(b.at))) {
      const target = this.options.targets[schedule.target];
      if (!target) continue;
      try {
        await target(structuredClone(schedule.payload));
        this.done(schedule, now);
      } catch (error) {
        const errorName = (error as Error).name;
        schedule.attempts += 1;
        this.options.logger.error('schedule target failed', { schedule: schedule.name, attempt: schedule.attempts, errorName });
        if (schedule.attempts >= (this.options.maxAttempts ?? 10)) {
          this.deadLetters.push({ ...schedule, errorName });
          this.done(schedule, now);
        }
      }
      this.save();
    }
  }

  /** A one-time schedule is deleted; a recurring one moves to its next run (missed runs are not caught up). */
  private done(schedule: Stored, now: number) {
    if (schedule.everyMs === undefined) {
      this.schedules.delete(schedule.name);
      return;
    }
    const next = Date.parse(schedule.at) + schedule.everyMs;
    schedule.at = new Date(next > now ? next : now + schedule.everyMs).toISOString();
    schedule.attempts = 0;
  }

  private save() {
    mkdirSync(dirname(this.options.file), { recursive: true });
    writeFileSync(`${this.options.file}.tmp`, JSON.stringify([...this.schedules.values()], null, 1));
    renameSync(`${this.options.file}.tmp`, this.options.file);
  }
}
