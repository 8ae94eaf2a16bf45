import { dsarBundlesFromConfig } from '../../shared/aws/dsar-bundles.ts';
import { composeFromEnv } from '../../shared/platform/composition.ts';
import { dsarExport } from './dsar-export.ts';

export const handler = dsarExport(composeFromEnv((config) => ({ dsarBundles: dsarBundlesFromConfig(config) })));
