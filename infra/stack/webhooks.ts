import { Duration } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { envNames } from '../../functions/shared/platform/config.ts';
import { functionAccess } from './access.ts';
import { allow, deadLetterQueue, lambdaFunction, streamConsumer } from './functions.ts';
import type { Region } from './region.ts';

/** How long one sender run may take: a minute of deliveries, and a receiver's last 10-second answer. */
const senderTimeout = Duration.seconds(90);

/**
 * Outbound webhooks: the audit table's stream wakes the dispatcher when a tenant's log moves; it
 * puts one wake-up per subscription of that tenant on the queue; the sender delivers from where
 * the subscription stands. A wake-up that keeps failing lands in the dead-letter queue (alarmed);
 * the subscription's position is in the webhooks table, so nothing is lost with it.
 */
export function webhooks(region: Region, api: NodejsFunction) {
  const { stack } = region;
  const deadLetters = deadLetterQueue(stack, 'WebhookWakeUps');
  const queue = new Queue(stack, 'WebhookWakeUps', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // Six times the sender's timeout, as AWS advises for a queue a function consumes.
    visibilityTimeout: Duration.seconds(senderTimeout.toSeconds() * 6),
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
  });
  const environment = { ...region.environment, [envNames.webhookQueueUrl]: queue.queueUrl };

  const sender = lambdaFunction(stack, 'WebhookSender', 'functions/webhook-sender/handler.ts', environment, { timeout: senderTimeout });
  allow(region, sender.role!, functionAccess.WebhookSender);
  queue.grantSendMessages(sender);
  sender.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 50 }));

  const dispatcher = streamConsumer(
    region,
    'WebhookDispatcher',
    'functions/webhook-dispatcher/handler.ts',
    environment,
    (role) => {
      allow(region, role, functionAccess.WebhookDispatcher);
      queue.grantSendMessages(role);
    },
    {
      table: 'audit',
      // Only a tenant's commit items: the cursors, tenant list and span notes are not news for a subscriber.
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.isEqual('INSERT'),
          dynamodb: { NewImage: { pk: { S: FilterRule.beginsWith('log#') } } },
        }),
      ],
    },
  );

  api.addEnvironment(envNames.webhookQueueUrl, queue.queueUrl);
  queue.grantSendMessages(api);
  return { queue, deadLetters, sender, dispatcher };
}
