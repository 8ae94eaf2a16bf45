import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Config } from '../platform/config.ts';
import type { Scheduler, ScheduleTargetName } from '../ports/scheduler.ts';

export interface SchedulerTargets {
  groupName: string;
  /** The role Scheduler assumes to invoke the targets. */
  roleArn: string;
  deadLetterArn: string;
  /** The targets this function may schedule (each function is told only the ones it uses). */
  functions: Partial<Record<ScheduleTargetName, string>>;
}

/** `at()` takes a local date-time without zone or fraction, here in UTC. */
export const atExpression = (at: Date) => `at(${at.toISOString().slice(0, 19)})`;

export function eventBridgeScheduler(client: Pick<SchedulerClient, 'send'>, targets: SchedulerTargets): Scheduler {
  return {
    async scheduleOnce({ name, at, target, payload }) {
      const arn = targets.functions[target];
      if (!arn) throw new Error(`no ARN for the schedule target ${target}`);
      try {
        await client.send(
          new CreateScheduleCommand({
            Name: name,
            GroupName: targets.groupName,
            ScheduleExpression: atExpression(at),
            ScheduleExpressionTimezone: 'UTC',
            FlexibleTimeWindow: { Mode: 'OFF' },
            ActionAfterCompletion: 'DELETE',
            Target: {
              Arn: arn,
              RoleArn: targets.roleArn,
              Input: JSON.stringify(payload),
              RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 24 * 60 * 60 },
              DeadLetterConfig: { Arn: targets.deadLetterArn },
            },
          }),
        );
      } catch (error) {
        if (error instanceof ConflictException) return; // planned already (a redelivered event)
        throw error;
      }
    },
  };
}

/** EventBridge Scheduler as the stack configures a function that creates schedules. */
export function schedulerFromConfig(config: Config): Scheduler {
  const { scheduleGroup, schedulerRoleArn, scheduleDeadLetterArn } = config;
  if (!scheduleGroup || !schedulerRoleArn || !scheduleDeadLetterArn)
    throw new Error('SCHEDULE_GROUP, SCHEDULER_ROLE_ARN and SCHEDULE_DLQ_ARN must be set');
  return eventBridgeScheduler(new SchedulerClient({ region: config.region }), {
    groupName: scheduleGroup,
    roleArn: schedulerRoleArn,
    deadLetterArn: scheduleDeadLetterArn,
    functions: { 'dsar-deadlines': config.dsarDeadlinesFunctionArn, 'sla-checker': config.slaCheckerFunctionArn },
  });
}
