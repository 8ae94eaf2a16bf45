import { composeFromEnv } from '../../shared/composition.ts';
import { getDsar } from './get-dsar.ts';

export const handler = getDsar(composeFromEnv());
