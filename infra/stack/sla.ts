import { Duration } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { envNames } from '../../functions/shared/platform/config.ts';
import { functionAccess } from './access.ts';
import { allow, lambdaFunction } from './functions.ts';
import type { Region } from './region.ts';
import { allowScheduling, type Schedules } from './schedules.ts';

/**
 * SLA and automation timers: the planner (on SlaTargetsSet and AutomationsPlanned) schedules the
 * checker at each due time. `sweepsFrom` (the support-setup function) schedules the checker's sweep
 * that plans a tenant's open tickets again after its automations changed, hence its longer timeout.
 */
export function slaTimers(region: Region, schedules: Schedules, sweepsFrom: NodejsFunction[]) {
  const { stack, environment } = region;
  const checker = lambdaFunction(stack, 'SlaChecker', 'functions/sla-checker/handler.ts', environment, {
    timeout: Duration.minutes(15),
    invokedAsynchronously: true,
  });
  for (const fn of sweepsFrom) {
    fn.addEnvironment(envNames.slaCheckerFunctionArn, checker.functionArn);
    allowScheduling(region, fn, schedules);
  }
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
