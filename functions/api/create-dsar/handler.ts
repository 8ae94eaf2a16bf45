import { composeFromEnv } from '../../shared/platform/composition.ts';
import { createDsar } from './create-dsar.ts';

export const handler = createDsar(composeFromEnv());
