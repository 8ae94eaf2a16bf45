import { composeFromEnv } from '../../shared/platform/composition.ts';
import { requester } from './requester.ts';

export const handler = requester(composeFromEnv());
