import { composeFromEnv } from '../../shared/platform/composition.ts';
import { search } from './search.ts';

export const handler = search(composeFromEnv());
