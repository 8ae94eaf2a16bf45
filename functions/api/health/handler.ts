import { composeFromEnv } from '../../shared/composition.ts';
import { health } from './health.ts';

export const handler = health(composeFromEnv());
