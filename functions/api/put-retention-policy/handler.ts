import { composeFromEnv } from '../../shared/platform/composition.ts';
import { putRetentionPolicy } from './put-retention-policy.ts';

export const handler = putRetentionPolicy(composeFromEnv());
