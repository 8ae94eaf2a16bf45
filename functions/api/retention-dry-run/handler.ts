import { composeFromEnv } from '../../shared/composition.ts';
import { retentionDryRun } from './retention-dry-run.ts';

export const handler = retentionDryRun(composeFromEnv());
