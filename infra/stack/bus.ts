import { Duration, type Stack } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { HomeRegion } from '../../domain/residency.ts';
import { type BusTargetName, busRules, busTargetRetries } from '../../events/bus-rules.ts';
import { deadLetterQueue } from './functions.ts';

export const eventBus = (stack: Stack, region: HomeRegion) => new EventBus(stack, 'Bus', { eventBusName: `meridian-${region}` });

/** The rules of events/bus-rules.ts on the region's bus, as they are, each with retries and a DLQ. */
export function busRulesOn(stack: Stack, bus: EventBus, region: HomeRegion, targets: Record<BusTargetName, NodejsFunction>) {
  const deadLetters = deadLetterQueue(stack, 'BusRules');
  for (const [name, rule] of Object.entries(busRules)) {
    const { 'detail-type': detailType, ...pattern } = rule.pattern;
    new Rule(stack, `${name}Rule`, {
      eventBus: bus,
      description: `Meridian ${region}: ${name}`,
      eventPattern: { ...pattern, detailType: [...detailType] },
      targets: [
        new LambdaFunction(targets[rule.target], {
          deadLetterQueue: deadLetters,
          retryAttempts: busTargetRetries,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }
}
