import { composeFromEnv } from '../shared/composition.ts';
import { projector } from './projector.ts';

export const handler = projector(composeFromEnv());
