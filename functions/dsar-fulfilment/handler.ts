import type { DeliveredEvent } from '../../events/bus-rules.ts';
import { composeFromEnv } from '../shared/composition.ts';
import { dsarBundlesFromConfig } from '../shared/dsar-bundles.ts';
import { fulfilment } from './fulfilment.ts';

export const handler = (event: DeliveredEvent) => fulfilment(composeFromEnv((config) => ({ dsarBundles: dsarBundlesFromConfig(config) })))(event);
