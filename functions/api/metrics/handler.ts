import { composeFromEnv } from '../../shared/composition.ts';
import { metrics } from './metrics.ts';

export const handler = metrics(composeFromEnv());
