import { isAbsolute } from 'node:path';
import { Duration, RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, StartingPosition, Tracing } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { regionTables } from '../../functions/shared/dynamodb/tables.ts';
import { metricsNamespace } from '../../functions/shared/platform/observability.ts';
import { bundling } from '../function-bundling.ts';
import type { Access, TableName } from './access.ts';
import type { Region } from './region.ts';

const repoRoot = new URL('../..', import.meta.url).pathname;

export interface FunctionOptions {
  /** Files copied beside the handler after bundling (absolute paths, or from the repository root). */
  filesBeside?: string[];
  timeout?: Duration;
  memorySize?: number;
  /** Only where the function must know its own ARN before it exists (a schedule target it creates). */
  functionName?: string;
  reservedConcurrentExecutions?: number;
  /**
   * Invoked by EventBridge or Scheduler, asynchronously: a rule's or schedule's DLQ catches only
   * what could not be handed to Lambda, so the function's own failures get a DLQ of its own.
   */
  invokedAsynchronously?: boolean;
}

/** A function with a role and a log group of its own, traced, bundled from `entry` (a path from the repository root). */
export function lambdaFunction(
  stack: Stack,
  id: string,
  entry: string,
  environment: Record<string, string>,
  options: FunctionOptions = {},
) {
  const logGroup = new LogGroup(stack, `${id}Logs`, { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
  // A role of its own per function, writing only to its own log group (not the managed basic-execution policy).
  const role = new Role(stack, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  logGroup.grantWrite(role);
  const fn = new NodejsFunction(stack, id, {
    entry: `${repoRoot}${entry}`,
    projectRoot: repoRoot,
    depsLockFilePath: `${repoRoot}package-lock.json`,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: options.memorySize ?? 512,
    timeout: options.timeout ?? Duration.seconds(10),
    functionName: options.functionName,
    reservedConcurrentExecutions: options.reservedConcurrentExecutions,
    ...(options.invokedAsynchronously ? { deadLetterQueue: deadLetterQueue(stack, `${id}Invocations`), retryAttempts: 2 } : {}),
    role,
    logGroup,
    tracing: Tracing.ACTIVE,
    environment: {
      POWERTOOLS_SERVICE_NAME: 'meridian',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
      NODE_OPTIONS: '--enable-source-maps',
      ...environment,
    },
    bundling: {
      ...bundling,
      commandHooks: options.filesBeside
        ? {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (input, output) => [
              `cp ${options.filesBeside!.map((file) => (isAbsolute(file) ? file : `${input}/${file}`)).join(' ')} ${output}/`,
            ],
          }
        : undefined,
    },
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permission (and for stream consumers, dynamodb:ListStreams neither).',
  });
  return fn;
}

/** Grants exactly these actions on exactly this table (and its indexes) or key: no wildcards. */
export function allow({ tables, keys }: Pick<Region, 'tables' | 'keys'>, role: IRole, accesses: Access[]) {
  for (const access of accesses) {
    if ('key' in access) {
      // The master key serves subject keys only: the encryption context must say so.
      const conditions =
        access.key === 'master' ? { StringEquals: { 'kms:EncryptionContext:purpose': 'meridian-subject-key' } } : undefined;
      role.addToPrincipalPolicy(new PolicyStatement({ actions: access.actions, resources: [keys[access.key].keyArn], conditions }));
      continue;
    }
    const table = tables[access.table];
    const indexArns = regionTables[access.table].indexes.map((index) => `${table.tableArn}/index/${index.name}`);
    const conditions = access.items ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': access.items } } : undefined;
    role.addToPrincipalPolicy(new PolicyStatement({ actions: access.actions, resources: [table.tableArn, ...indexArns], conditions }));
  }
}

export function deadLetterQueue(stack: Stack, id: string): Queue {
  const queue = new Queue(stack, `${id}DeadLetters`, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter queue of the ${id.toLowerCase()}.`,
  });
  return queue;
}

/**
 * A function on a table's stream (the events table's unless `on` says otherwise), with redelivery
 * from the first failed record and a dead-letter queue; `filters` let only matching records through.
 */
export function streamConsumer(
  region: Region,
  id: string,
  entry: string,
  environment: Record<string, string>,
  grant: (role: IRole) => void,
  on: { table?: TableName; filters?: Array<Record<string, unknown>> } = {},
) {
  const fn = lambdaFunction(region.stack, id, entry, environment);
  grant(fn.role!);
  const deadLetters = deadLetterQueue(region.stack, id);
  fn.addEventSource(
    new DynamoEventSource(region.tables[on.table ?? 'events'], {
      filters: on.filters,
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 10,
      onFailure: new SqsDlq(deadLetters),
    }),
  );
  return fn;
}
