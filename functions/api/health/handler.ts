import { composeFromEnv } from '../../shared/platform/composition.ts';
import { health } from './health.ts';

export const handler = health(composeFromEnv());
