import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '../platform/config.ts';
import type { WebhookQueue } from '../ports/webhook-deliveries.ts';

/** SQS delays a message 15 minutes at most: a sender woken early for a later retry sends itself the rest. */
export const maxQueueDelayMs = 900_000;

/** Wake-ups as SQS messages, ten to a batch. */
export function sqsWebhookQueue(client: SQSClient, queueUrl: string): WebhookQueue {
  return {
    async wake(refs, delayMs = 0) {
      const DelaySeconds = Math.ceil(Math.min(Math.max(delayMs, 0), maxQueueDelayMs) / 1000);
      for (let i = 0; i < refs.length; i += 10) {
        const batch = refs.slice(i, i + 10);
        const { Failed } = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((ref, j) => ({
              Id: String(j),
              MessageBody: JSON.stringify({ tenantId: ref.tenantId, webhookId: ref.webhookId }),
              DelaySeconds,
            })),
          }),
        );
        if (Failed?.length) throw new Error(`the webhook queue took ${batch.length - Failed.length} of ${batch.length} wake-ups`);
      }
    },
  };
}

/** For the functions that wake senders (the dispatcher, the sender, the webhooks API). */
export const webhookQueueFromConfig = (config: Config): WebhookQueue | undefined =>
  config.webhookQueueUrl ? sqsWebhookQueue(new SQSClient({ region: config.region }), config.webhookQueueUrl) : undefined;
