import { Duration } from 'aws-cdk-lib';
import { envNames } from '../../functions/shared/platform/config.ts';
import { functionAccess } from './access.ts';
import { allow, lambdaFunction } from './functions.ts';
import type { Region } from './region.ts';
import { allowScheduling, type Schedules } from './schedules.ts';

/** SLA timers: the planner (on SlaTargetsSet) schedules the checker at each due time. */
export function slaTimers(region: Region, schedules: Schedules) {
  const { stack, environment } = region;
  const checker = lambdaFunction(stack, 'SlaChecker', 'functions/sla-checker/handler.ts', environment, {
    timeout: Duration.seconds(30),
    invokedAsynchronously: true,
  });
  allow(region, checker.role!, functionAccess.SlaChecker);
  const planner = lambdaFunction(
    stack,
    'SlaTimers',
    'functions/sla-timers/handler.ts',
    { ...environment, [envNames.slaCheckerFunctionArn]: checker.functionArn },
    { timeout: Duration.seconds(30), invokedAsynchronously: true },
  );
  allowScheduling(region, planner, schedules);
  return { checker, planner };
}
