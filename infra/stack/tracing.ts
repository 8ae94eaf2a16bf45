import type { Stack } from 'aws-cdk-lib';
import { LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The account AWS publishes its OpenTelemetry distribution's Lambda layers from, in every commercial region. */
const openTelemetryLayerAccount = '615299751070';

/**
 * Traces on OpenTelemetry: every function gets AWS's OpenTelemetry JavaScript layer
 * (`meridian:openTelemetryLayer`, a layer name and version such as `AWSOpenTelemetryDistroJs:7`)
 * and the wrapper that starts it before the handler. The layer sends spans to X-Ray (the functions
 * keep active tracing); none of it is in the bundles, and nothing traces outside Lambda. Application
 * Signals stays off: the metrics are Meridian's own EMF.
 */
export function traceWithOpenTelemetry(stack: Stack, layer: string | 'off') {
  if (layer === 'off') return;
  const layerVersion = LayerVersion.fromLayerVersionArn(
    stack,
    'OpenTelemetryLayer',
    `arn:aws:lambda:${stack.region}:${openTelemetryLayerAccount}:layer:${layer}`,
  );
  for (const fn of stack.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction)) {
    fn.addLayers(layerVersion);
    fn.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', '/opt/otel-instrument');
    fn.addEnvironment('OTEL_AWS_APPLICATION_SIGNALS_ENABLED', 'false');
  }
}
