import { composeFromEnv } from '../../shared/composition.ts';
import { createDsar } from './create-dsar.ts';

export const handler = createDsar(composeFromEnv());
