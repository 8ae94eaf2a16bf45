import { composeFromEnv } from '../../shared/composition.ts';
import { listDsars } from './list-dsars.ts';

export const handler = listDsars(composeFromEnv());
