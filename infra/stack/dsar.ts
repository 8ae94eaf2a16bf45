import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { envNames } from '../../functions/shared/platform/config.ts';
import { functionAccess } from './access.ts';
import { allow, lambdaFunction } from './functions.ts';
import type { Region } from './region.ts';
import { allowScheduling, type Schedules } from './schedules.ts';

/** How long an access or export bundle stays downloadable; after that `GET /v1/dsar/{id}/export` is 410. */
export const dsarBundleDays = 30;

/**
 * Data-subject requests and retention: the fulfilment, deadline and retention functions and the
 * bucket of access and export bundles (read by the export route's function, `dsarExport`).
 */
export function dataSubjectRequests(region: Region, accessLogs: Bucket, dsarExport: NodejsFunction, schedules: Schedules) {
  const { stack, props, environment } = region;
  const bundleKey = new Key(stack, 'DsarBundleKey', {
    description: `Meridian ${props.region}: DSAR bundles at rest (each is also sealed with its subject's key)`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const bundles = new Bucket(stack, 'DsarBundles', {
    encryption: BucketEncryption.KMS,
    encryptionKey: bundleKey,
    bucketKeyEnabled: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'dsar-bundles/',
    lifecycleRules: [{ expiration: Duration.days(dsarBundleDays) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const bundleObjects = `Resource::<${stack.getLogicalId(bundles.node.defaultChild as CfnBucket)}.Arn>/dsar-bundles/*`;

  const fulfilment = lambdaFunction(
    stack,
    'DsarFulfilment',
    'functions/dsar-fulfilment/handler.ts',
    { ...environment, [envNames.bundleBucket]: bundles.bucketName },
    { timeout: Duration.minutes(5), memorySize: 1024, invokedAsynchronously: true },
  );
  allow(region, fulfilment.role!, functionAccess.DsarFulfilment);
  fulfilment.role!.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['s3:PutObject'], resources: [bundles.arnForObjects('dsar-bundles/*')] }),
  );
  // SSE-KMS: S3 asks KMS for a data key on put and to decrypt it on get, on the caller's behalf.
  fulfilment.role!.addToPrincipalPolicy(new PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [bundleKey.keyArn] }));
  dsarExport.addEnvironment(envNames.bundleBucket, bundles.bucketName);
  dsarExport.role!.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['s3:GetObject'], resources: [bundles.arnForObjects('dsar-bundles/*')] }),
  );
  dsarExport.role!.addToPrincipalPolicy(new PolicyStatement({ actions: ['kms:Decrypt'], resources: [bundleKey.keyArn] }));
  for (const role of [fulfilment.role!, dsarExport.role!]) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[${bundleObjects}]`,
      reason: 'One object per request under the bundle prefix; put for fulfilment, get for the export route.',
    });
  }

  // The deadline function creates schedules that invoke itself: it must know its ARN before it exists.
  const deadlinesName = `meridian-${props.region}-dsar-deadlines`;
  const deadlinesArn = stack.formatArn({
    service: 'lambda',
    resource: 'function',
    resourceName: deadlinesName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const deadlines = lambdaFunction(
    stack,
    'DsarDeadlines',
    'functions/dsar-deadlines/handler.ts',
    { ...environment, [envNames.dsarDeadlinesFunctionArn]: deadlinesArn },
    { functionName: deadlinesName, timeout: Duration.seconds(30), invokedAsynchronously: true },
  );
  allow(region, deadlines.role!, functionAccess.DsarDeadlines);
  allowScheduling(region, deadlines, schedules);

  const retention = lambdaFunction(stack, 'Retention', 'functions/retention/handler.ts', environment, {
    timeout: Duration.minutes(15),
    memorySize: 1024,
    // One run at a time: a retried run must not race the one still going.
    reservedConcurrentExecutions: 1,
    invokedAsynchronously: true,
  });
  allow(region, retention.role!, functionAccess.Retention);
  new CfnOutput(stack, 'DsarBundleBucket', { value: bundles.bucketName });
  return { bundles, fulfilment, deadlines, retention };
}
