import { webhookQueueFromConfig } from '../shared/aws/sqs-webhook-queue.ts';
import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { webhookDispatcher } from './dispatcher.ts';

const deps = composeFromEnv((config) => ({ webhookQueue: webhookQueueFromConfig(config) }));
export const handler = observed(deps, webhookDispatcher(deps));
