import { composeFromEnv } from '../../shared/platform/composition.ts';
import { changes } from './changes.ts';

export const handler = changes(composeFromEnv());
