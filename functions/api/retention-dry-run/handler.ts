import { composeFromEnv } from '../../shared/platform/composition.ts';
import { retentionDryRun } from './retention-dry-run.ts';

export const handler = retentionDryRun(composeFromEnv());
