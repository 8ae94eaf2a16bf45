import { webhookQueueFromConfig } from '../shared/aws/sqs-webhook-queue.ts';
import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { webhookSender } from './sender.ts';

const deps = composeFromEnv((config) => ({ webhookQueue: webhookQueueFromConfig(config) }));
export const handler = observed(deps, webhookSender(deps));
