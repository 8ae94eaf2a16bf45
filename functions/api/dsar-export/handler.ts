import { composeFromEnv } from '../../shared/composition.ts';
import { dsarExport } from './dsar-export.ts';

export const handler = dsarExport(composeFromEnv());
