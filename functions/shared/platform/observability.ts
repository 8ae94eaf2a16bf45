import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

export { MetricUnit };

/** CloudWatch namespace of Meridian's own metrics (EMF), one set per region (`region` dimension). */
export const metricsNamespace = 'Meridian';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

const metricsOptions = (region: string, logger: Logger) => ({
  namespace: metricsNamespace,
  serviceName: 'meridian',
  defaultDimensions: { region },
  // Not its "no metrics to publish" warning on every request that recorded none.
  logger: logger.createChild({ logLevel: 'ERROR' }),
});

export const newMetrics = (region: string, logger: Logger) => new Metrics(metricsOptions(region, logger));

/** The tracer: X-Ray in Lambda (active tracing), a no-op anywhere else. */
export const newTracer = () => new Tracer({ serviceName: 'meridian' });

/** Metrics for the local runtime and tests: recorded until a flush would print them, then dropped. */
class UnpublishedMetrics extends Metrics {
  override publishStoredMetrics(): this {
    this.clearMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }

  override captureColdStartMetric(): void {}
}

export const unpublishedMetrics = (region: string, logger: Logger): Metrics => new UnpublishedMetrics(metricsOptions(region, logger));

/**
 * Every non-HTTP Lambda (stream consumers, bus and schedule targets): a trace segment, the
 * invocation's context on each log line, and its metrics flushed as EMF at the end.
 */
export const observed = <E, R>(o: Observability, handler: (event: E, context: Context) => Promise<R>) =>
  middy(handler)
    .use(captureLambdaHandler(o.tracer))
    .use(injectLambdaContext(o.logger, { resetKeys: true }))
    .use(logMetrics(o.metrics, { captureColdStartMetric: true }));
