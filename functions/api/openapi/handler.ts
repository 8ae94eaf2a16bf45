import { composeFromEnv } from '../../shared/composition.ts';
import { openapi } from './openapi.ts';

export const handler = openapi(composeFromEnv());
