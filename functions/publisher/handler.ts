import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { eventBridgeBus } from '../shared/event-bus.ts';
import { publisher } from './publisher.ts';

// Needs no table and no key: it reads what the stream delivers and writes to the bus.
const { EVENT_BUS_NAME } = z.object({ EVENT_BUS_NAME: z.string().min(1) }).parse(process.env);

export const handler = publisher({
  bus: eventBridgeBus(new EventBridgeClient({}), EVENT_BUS_NAME),
  logger: new Logger({ serviceName: 'meridian' }),
});
