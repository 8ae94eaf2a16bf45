import { composeFromEnv } from '../../shared/composition.ts';
import { requester } from './requester.ts';

export const handler = requester(composeFromEnv());
