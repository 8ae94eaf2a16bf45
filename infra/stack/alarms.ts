import { CfnOutput, Duration, type Stack } from 'aws-cdk-lib';
import { ComparisonOperator, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { HomeRegion } from '../../domain/residency.ts';
import { metricsNamespace } from '../../functions/shared/platform/observability.ts';

/**
 * What pages ops, on one encrypted topic per region: any function error or throttle, any message
 * in a dead-letter queue (failed fulfilment, a lost SLA timer, a stream batch given up on), and a
 * stream consumer falling more than a minute behind (projection lag, iterator age). Added last:
 * it watches every function and queue the stack has.
 */
export function alarms(stack: Stack, region: HomeRegion) {
  const topic = new Topic(stack, 'Alarms', {
    displayName: `Meridian ${region} alarms`,
    enforceSSL: true,
    masterKey: Alias.fromAliasName(stack, 'SnsKey', 'alias/aws/sns'),
  });
  /** Pages once `metric` reaches `threshold` in each of `evaluationPeriods` periods; no data is no trouble. */
  const pageAt = (metric: Metric | MathExpression, id: string, threshold: number, alarmDescription: string, evaluationPeriods = 1) =>
    metric
      .createAlarm(stack, id, {
        threshold,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription,
      })
      .addAlarmAction(new SnsAction(topic));
  const functions = stack.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction);
  // One alarm per function for both (a stack holds at most 500 resources); its graph shows which it was.
  for (const fn of functions) {
    const id = fn.node.id;
    const troubles = new MathExpression({
      expression: 'errors + throttles',
      usingMetrics: {
        errors: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        throttles: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      },
      period: Duration.minutes(5),
      label: `${id} errors + throttles`,
    });
    pageAt(troubles, `${id}ErrorsOrThrottles`, 1, `${id}: a function error or a throttle (see Errors and Throttles)`);
  }
  for (const consumer of ['Projector', 'Publisher', 'Sequencer', 'WebhookDispatcher', 'SearchIndexer']) {
    const fn = functions.find((f) => f.node.id === consumer)!;
    pageAt(
      fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
      `${consumer}IteratorAge`,
      60_000,
      `${consumer}: more than a minute behind its table's stream`,
      3,
    );
  }
  for (const queue of stack.node.findAll().filter((c): c is Queue => c instanceof Queue)) {
    pageAt(
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      `${queue.node.id}Depth`,
      1,
      `${queue.node.id}: a message could not be delivered`,
    );
  }
  // Meridian's own metrics (EMF): an API answer of 500 is a bug even though the function succeeded.
  const meridian = (metricName: string) =>
    new Metric({
      namespace: metricsNamespace,
      metricName,
      dimensionsMap: { service: 'meridian', region },
      period: Duration.minutes(5),
      statistic: 'Sum',
    });
  pageAt(meridian('UnhandledErrors'), 'ApiUnhandledErrors', 1, 'An API request was answered 500: a bug');
  pageAt(
    meridian('DependencyUnavailable'),
    'ApiDependencyUnavailable',
    10,
    'DynamoDB stayed throttled or out of reach through every retry: 503 answers',
  );
  pageAt(
    meridian('RetentionTenantFailures'),
    'RetentionTenantFailures',
    1,
    "The retention job failed for a tenant (its log line names it); the other tenants' runs went on",
  );
  new CfnOutput(stack, 'AlarmTopic', { value: topic.topicArn });
}
