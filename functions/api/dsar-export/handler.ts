import { composeFromEnv } from '../../shared/composition.ts';
import { dsarBundlesFromConfig } from '../../shared/dsar-bundles.ts';
import { dsarExport } from './dsar-export.ts';

export const handler = dsarExport(composeFromEnv((config) => ({ dsarBundles: dsarBundlesFromConfig(config) })));
