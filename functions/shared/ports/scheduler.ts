/** The functions a one-time schedule can invoke. */
export const scheduleTargets = ['dsar-deadlines', 'sla-checker'] as const;

export type ScheduleTargetName = (typeof scheduleTargets)[number];

/**
 * Functions run on a fixed rate: a `rate()` schedule in each regional stack, the local scheduler
 * in `npm start`. Retention runs daily: a policy counts in days.
 */
export const recurringJobs = [{ name: 'retention', everyHours: 24 }] as const;

export type RecurringJobName = (typeof recurringJobs)[number]['name'];

export interface OneTimeSchedule {
  /** Unique per purpose, e.g. `dsar-<id>-warn`: creating one that exists changes nothing. */
  name: string;
  at: Date;
  target: ScheduleTargetName;
  payload: Record<string, unknown>;
}

/** Scheduler's `at()` takes no time past: a moment already passed (or now) is scheduled a few seconds ahead. */
export const soonest = (at: Date, now: Date): Date => new Date(Math.max(at.getTime(), now.getTime() + 5_000));

/** One-time schedules: EventBridge Scheduler `at()` in the stack, the local scheduler in `npm start`. */
export interface Scheduler {
  scheduleOnce(schedule: OneTimeSchedule): Promise<void>;
}
