import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { envNames } from '../../functions/shared/platform/config.ts';
import type { Region } from './region.ts';

/** What each function does with files: the actions its adapter calls (functions/shared/aws/s3-attachment-files.ts). */
export interface AttachmentUsers {
  /** Uploads (put a file, sign an upload URL) and reads (sign a download URL): the attachments API function. */
  uploads: NodejsFunction;
  /** Claim uploads for a message or an opening: take an upload URL's file, store it, tag files kept. */
  claims: NodejsFunction[];
  /** Stores the files inbound messages came with, and keeps those written: intake. */
  receives: NodejsFunction;
  /** Exports files in access bundles, and erases them: DSAR fulfilment. */
  exportsAndErases: NodejsFunction;
  /** Erases files with their tickets: retention. */
  erases: NodejsFunction;
}

/**
 * The region's attachment bucket: KMS-encrypted under a key of its own, private, TLS only, logged.
 * Files (`files/`) are tagged kept=false until a message claims them, and a lifecycle rule removes
 * those after two days; clients' own uploads (`uploads/`) go after one. Nothing crosses regions.
 */
export function attachmentBucket(region: Region, accessLogs: Bucket, users: AttachmentUsers) {
  const { stack, props } = region;
  const key = new Key(stack, 'AttachmentKey', {
    description: `Meridian ${props.region}: attachment files at rest`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const bucket = new Bucket(stack, 'Attachments', {
    encryption: BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'attachments/',
    // Browsers PUT to upload URLs and follow download redirects.
    cors: [{ allowedMethods: [HttpMethods.PUT, HttpMethods.GET], allowedOrigins: ['*'], allowedHeaders: ['content-type'], maxAge: 3600 }],
    lifecycleRules: [
      { prefix: 'files/', tagFilters: { kept: 'false' }, expiration: Duration.days(2) },
      { prefix: 'uploads/', expiration: Duration.days(1) },
      { abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ],
    removalPolicy: RemovalPolicy.RETAIN,
  });

  const files = bucket.arnForObjects('files/*');
  const uploads = bucket.arnForObjects('uploads/*');
  const grant = (fn: NodejsFunction, actions: string[], resources: string[]) =>
    fn.role!.addToPrincipalPolicy(new PolicyStatement({ actions, resources }));
  // Deleting every version: list the versions of one key (the prefix is the key), then delete each.
  const erase = (fn: NodejsFunction) => {
    grant(fn, ['s3:ListBucketVersions'], [bucket.bucketArn]);
    grant(fn, ['s3:DeleteObject', 's3:DeleteObjectVersion'], [files, uploads]);
  };

  grant(users.uploads, ['s3:PutObject', 's3:PutObjectTagging', 's3:GetObject'], [files]);
  grant(users.uploads, ['s3:PutObject'], [uploads]);
  grant(users.uploads, ['kms:GenerateDataKey', 'kms:Decrypt'], [key.keyArn]);
  for (const fn of users.claims) {
    grant(fn, ['s3:PutObject', 's3:PutObjectTagging'], [files]);
    grant(fn, ['s3:GetObject'], [uploads]);
    erase(fn);
    grant(fn, ['kms:GenerateDataKey', 'kms:Decrypt'], [key.keyArn]);
  }
  grant(users.receives, ['s3:PutObject', 's3:PutObjectTagging'], [files]);
  grant(users.receives, ['kms:GenerateDataKey'], [key.keyArn]);
  grant(users.exportsAndErases, ['s3:GetObject'], [files]);
  erase(users.exportsAndErases);
  grant(users.exportsAndErases, ['kms:Decrypt'], [key.keyArn]);
  erase(users.erases);

  const objects = `Resource::<${stack.getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>`;
  for (const fn of Object.values(users).flat()) {
    fn.addEnvironment(envNames.attachmentBucket, bucket.bucketName);
    for (const prefix of ['files', 'uploads']) {
      if (prefix === 'uploads' && fn === users.receives) continue;
      Validations.of(fn.role!).acknowledge({
        id: `AwsSolutions-IAM5[${objects}/${prefix}/*]`,
        reason: 'One object per attachment under its prefix; the actions are exactly those the adapter calls.',
      });
    }
  }
  new CfnOutput(stack, 'AttachmentBucket', { value: bucket.bucketName });
  return bucket;
}
