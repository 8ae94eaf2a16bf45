import { composeFromEnv } from '../../shared/composition.ts';
import { intake } from './intake.ts';

export const handler = intake(composeFromEnv());
