import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { sendWebhook } from '../shared/application/webhook-sender.ts';
import type { Deps } from '../shared/ports/deps.ts';

const wakeUp = z.object({ tenantId: z.string().min(1), webhookId: z.string().min(1) });

/**
 * The webhook queue's consumer: each message wakes one subscription's sender. A message that
 * fails comes back after the queue's visibility timeout (and goes to the dead-letter queue after
 * a few); the subscription's lease keeps two senders from delivering the same events at once.
 */
export const webhookSender =
  (deps: Deps) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const outcomes = await Promise.allSettled(event.Records.map((record) => sendWebhook(deps, wakeUp.parse(JSON.parse(record.body)))));
    const failures = event.Records.filter((_, i) => outcomes[i]!.status === 'rejected');
    for (const [i, outcome] of outcomes.entries())
      if (outcome.status === 'rejected')
        deps.logger.error('webhook sender failed', { messageId: event.Records[i]!.messageId, errorName: (outcome.reason as Error).name });
    return { batchItemFailures: failures.map((record) => ({ itemIdentifier: record.messageId })) };
  };
