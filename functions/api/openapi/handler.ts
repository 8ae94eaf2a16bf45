import { composeFromEnv } from '../../shared/platform/composition.ts';
import { openapi } from './openapi.ts';

export const handler = openapi(composeFromEnv());
