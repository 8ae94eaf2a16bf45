import { webhookQueueFromConfig } from '../../shared/aws/sqs-webhook-queue.ts';
import { composeFromEnv } from '../../shared/platform/composition.ts';
import { webhooks } from './webhooks.ts';

export const handler = webhooks(composeFromEnv((config) => ({ webhookQueue: webhookQueueFromConfig(config) })));
