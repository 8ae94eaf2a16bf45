import { composeFromEnv } from '../../shared/platform/composition.ts';
import { listDsars } from './list-dsars.ts';

export const handler = listDsars(composeFromEnv());
