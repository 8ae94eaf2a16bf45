import { Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { envNames } from '../../functions/shared/platform/config.ts';
import { type RecurringJobName, recurringJobs, type ScheduleTargetName } from '../../functions/shared/ports/scheduler.ts';
import { deadLetterQueue } from './functions.ts';
import type { Region } from './region.ts';

export interface Schedules {
  groupName: string;
  group: CfnScheduleGroup;
  role: Role;
  deadLetters: Queue;
}

/** The region's schedule group, the role Scheduler invokes with, and the schedules' dead-letter queue. */
export function schedules({ stack, props }: Region): Schedules {
  const groupName = `meridian-${props.region}`;
  const group = new CfnScheduleGroup(stack, 'ScheduleGroup', { name: groupName });
  const deadLetters = deadLetterQueue(stack, 'Schedules');
  const role = new Role(stack, 'SchedulerRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
  });
  deadLetters.grantSendMessages(role);
  return { groupName, group, role, deadLetters };
}

/** What a function that creates one-time schedules needs: the group, the role to pass, the DLQ. */
export function allowScheduling({ stack, props }: Region, fn: NodejsFunction, schedules: Schedules) {
  fn.addEnvironment(envNames.scheduleGroup, schedules.groupName);
  fn.addEnvironment(envNames.schedulerRoleArn, schedules.role.roleArn);
  fn.addEnvironment(envNames.scheduleDeadLetterArn, schedules.deadLetters.queueArn);
  fn.role!.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['scheduler:CreateSchedule'],
      resources: [stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${schedules.groupName}/*` })],
    }),
  );
  schedules.role.grantPassRole(fn.role!);
  Validations.of(fn.role!).acknowledge({
    // The partition is a literal (@aws-cdk/core:enablePartitionLiterals): every region of the table is in `aws`.
    id: `AwsSolutions-IAM5[Resource::arn:aws:scheduler:${props.region}:<AWS::AccountId>:schedule/${schedules.groupName}/*]`,
    reason: "One schedule per request, ticket and check, named at run time, all in this region's Meridian group.",
  });
}

/** Scheduler may invoke exactly the schedule targets; the recurring jobs get their rate schedules. */
export function scheduleTargets(
  { stack, props }: Region,
  schedules: Schedules,
  targets: Record<ScheduleTargetName | RecurringJobName, NodejsFunction>,
) {
  for (const fn of Object.values(targets)) {
    schedules.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
  }
  for (const job of recurringJobs) {
    new CfnSchedule(stack, `${job.name}-schedule`, {
      groupName: schedules.groupName,
      description: `Meridian ${props.region}: ${job.name}, every ${job.everyHours} hours`,
      scheduleExpression: `rate(${job.everyHours} hours)`,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: targets[job.name].functionArn,
        roleArn: schedules.role.roleArn,
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 6 * 60 * 60 },
        deadLetterConfig: { arn: schedules.deadLetters.queueArn },
      },
    }).addDependency(schedules.group);
  }
}
