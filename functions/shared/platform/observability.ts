import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

export { MetricUnit };

/** CloudWatch namespace of Meridian's own metrics (EMF), one set per region (`region` dimension). */
export const metricsNamespace = 'Meridian';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

const metricsOptions = (region: string, logger: Logger) => ({
  namespace: metricsNamespace,
  serviceName: 'meridian',
  defaultDimensions: { region },
  // Not its "no metrics to publish" warning on every request that recorded none.
  logger: logger.createChild({ logLevel: 'ERROR' }),
});

export const newMetrics = (region: string, logger: Logger) => new Metrics(metricsOptions(region, logger));

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
 * Every non-HTTP Lambda (stream consumers, bus and schedule targets): the invocation's context on
 * each log line, and its metrics flushed as EMF at the end. Traces come from the OpenTelemetry
 * layer the stack attaches (infra/stack/tracing.ts), not from code in the bundle.
 */
export const observed = <E, R>(o: Observability, handler: (event: E, context: Context) => Promise<R>) =>
  middy(handler)
    .use(injectLambdaContext(o.logger, { resetKeys: true }))
    .use(logMetrics(o.metrics, { captureColdStartMetric: true }));
