import { composeFromEnv } from '../../shared/composition.ts';
import { supportSetup } from './support-setup.ts';

export const handler = supportSetup(composeFromEnv());
