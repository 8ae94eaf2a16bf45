import { composeFromEnv } from '../../shared/platform/composition.ts';
import { getRetentionPolicy } from './get-retention-policy.ts';

export const handler = getRetentionPolicy(composeFromEnv());
