import { dsarBundlesFromConfig } from '../shared/aws/dsar-bundles.ts';
import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { fulfilment } from './fulfilment.ts';

const deps = composeFromEnv((config) => ({ dsarBundles: dsarBundlesFromConfig(config) }));
export const handler = observed(deps, fulfilment(deps));
