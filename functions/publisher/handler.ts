import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { eventBridgeBus } from '../shared/event-bus.ts';
import { newMetrics, newTracer, observed } from '../shared/observability.ts';
import { publisher } from './publisher.ts';

// Needs no table and no key: it reads what the stream delivers and writes to the bus.
const { EVENT_BUS_NAME, AWS_REGION } = z.object({ EVENT_BUS_NAME: z.string().min(1), AWS_REGION: z.string().min(1) }).parse(process.env);
const logger = new Logger({ serviceName: 'meridian', persistentKeys: { region: AWS_REGION } });
const tracer = newTracer();

export const handler = observed(
  { logger, tracer, metrics: newMetrics(AWS_REGION, logger) },
  publisher({ bus: eventBridgeBus(tracer.captureAWSv3Client(new EventBridgeClient({})), EVENT_BUS_NAME), logger }),
);
