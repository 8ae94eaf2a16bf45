import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import { envNames } from '../../functions/shared/platform/config.ts';
import { functionAccess } from './access.ts';
import { allow, deadLetterQueue, lambdaFunction } from './functions.ts';
import type { Region } from './region.ts';

/** How often the tenant log heads are written out: a truncated history is detected from the next digest on. */
export const digestIntervalMinutes = 5;

/** The bucket the digest and bundle buckets log their access to. */
export function accessLogsBucket({ stack, props }: Region): Bucket {
  const bucket = new Bucket(stack, 'DigestAccessLogs', {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ expiration: Duration.days(props.digestRetentionDays) }],
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This bucket holds the access logs of the digest and bundle buckets; logging it into itself would loop.',
  });
  return bucket;
}

/**
 * The region's heads digests, like CloudTrail's: an Object Lock bucket (compliance mode, so not
 * even the account root can shorten a retention) written on a schedule by one function that may
 * only read the log and put objects there.
 */
/** `readers`: functions that read the digests (the proof route), with list and get only. */
export function headDigests(region: Region, accessLogs: Bucket, readers: NodejsFunction[]): Bucket {
  const { stack, props } = region;
  const bucket = new Bucket(stack, 'HeadDigests', {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    objectLockEnabled: true,
    objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(props.digestRetentionDays)),
    serverAccessLogsBucket: accessLogs,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // Asymmetric, so anyone with the public key checks a digest offline; KMS does not rotate such keys, and a new
  // key would leave the digests signed before it checkable with the old public key only.
  const signingKey = new Key(stack, 'DigestSigningKey', {
    description: `Meridian ${props.region}: signs the heads digests (verify with its public key, openssl dgst -sha256 -verify)`,
    keySpec: KeySpec.ECC_NIST_P256,
    keyUsage: KeyUsage.SIGN_VERIFY,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const fn = lambdaFunction(
    stack,
    'DigestWriter',
    'functions/digest/handler.ts',
    { ...region.environment, [envNames.digestBucket]: bucket.bucketName, [envNames.digestSigningKeyId]: signingKey.keyArn },
    { invokedAsynchronously: true },
  );
  allow(region, fn.role!, functionAccess.DigestWriter);
  fn.role!.addToPrincipalPolicy(new PolicyStatement({ actions: ['kms:Sign'], resources: [signingKey.keyArn] }));
  new CfnOutput(stack, 'DigestSigningKeyArn', {
    value: signingKey.keyArn,
    description: 'The heads digests are signed with this key: aws kms get-public-key, or npm run -s audit -- public-key',
  });
  const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnBucket);
  /** List and get (and for the writer, put) under this region's prefix only; never delete. */
  const grantDigests = (role: IRole, objectActions: string[], reason: string) => {
    const prefix = `digests/${props.region}/*`;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [prefix] } },
      }),
    );
    role.addToPrincipalPolicy(new PolicyStatement({ actions: objectActions, resources: [bucket.arnForObjects(prefix)] }));
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}]`, reason });
  };
  grantDigests(
    fn.role!,
    ['s3:GetObject', 's3:PutObject'],
    "Every digest is a new object under this region's prefix; the writer can neither delete nor shorten a lock.",
  );
  for (const reader of readers) {
    reader.addEnvironment(envNames.digestBucket, bucket.bucketName);
    grantDigests(
      reader.role!,
      ['s3:GetObject'],
      "A proof reads the newest digest of this region's prefix, whichever object that is; it can write nothing there.",
    );
  }
  const deadLetters = deadLetterQueue(stack, 'DigestWriter');
  new Rule(stack, 'DigestSchedule', {
    description: `Meridian ${props.region}: write the tenant logs' heads digest`,
    schedule: Schedule.rate(Duration.minutes(digestIntervalMinutes)),
    targets: [new LambdaFunction(fn, { deadLetterQueue: deadLetters, retryAttempts: 2 })],
  });
  return bucket;
}
