import { composeFromEnv } from '../../shared/platform/composition.ts';
import { metrics } from './metrics.ts';

export const handler = metrics(composeFromEnv());
