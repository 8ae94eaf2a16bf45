import { composeFromEnv } from '../shared/composition.ts';
import { dsarBundlesFromConfig } from '../shared/dsar-bundles.ts';
import { observed } from '../shared/observability.ts';
import { fulfilment } from './fulfilment.ts';

const deps = composeFromEnv((config) => ({ dsarBundles: dsarBundlesFromConfig(config) }));
export const handler = observed(deps, fulfilment(deps));
