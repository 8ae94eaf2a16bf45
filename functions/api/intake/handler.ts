import { composeFromEnv } from '../../shared/platform/composition.ts';
import { intake } from './intake.ts';

export const handler = intake(composeFromEnv());
