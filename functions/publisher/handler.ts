import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { eventBridgeBus } from '../shared/aws/event-bus.ts';
import { envNames } from '../shared/platform/config.ts';
import { newMetrics, observed } from '../shared/platform/observability.ts';
import { publisher } from './publisher.ts';

// Needs no table and no key: it reads what the stream delivers and writes to the bus.
const environment = z.object({ [envNames.eventBusName]: z.string().min(1), [envNames.region]: z.string().min(1) }).parse(process.env);
const region = environment[envNames.region];
const logger = new Logger({ serviceName: 'meridian', persistentKeys: { region } });

export const handler = observed(
  { logger, metrics: newMetrics(region, logger) },
  publisher({ bus: eventBridgeBus(new EventBridgeClient({}), environment[envNames.eventBusName]), logger }),
);
