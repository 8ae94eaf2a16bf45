import { composeFromEnv } from '../../shared/platform/composition.ts';
import { getDsar } from './get-dsar.ts';

export const handler = getDsar(composeFromEnv());
