import { composeFromEnv } from '../../shared/platform/composition.ts';
import { supportSetup } from './support-setup.ts';

export const handler = supportSetup(composeFromEnv());
