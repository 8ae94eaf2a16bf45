import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias, Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, StartingPosition, Tracing } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { HomeRegion, ResidencyPolicy } from '../domain/residency.ts';
import { type BusTargetName, busRules, busTargetRetries } from '../events/bus-rules.ts';
import { type ApiFunctionName, apiFunctionNames, apiRoutes } from '../functions/api/routes.ts';
import {
  auditTable,
  eventsTable,
  idempotencyTable,
  subjectsTable,
  type TableShape,
  viewsTable,
} from '../functions/shared/dynamodb/tables.ts';
import { envNames } from '../functions/shared/platform/config.ts';
import { metricsNamespace } from '../functions/shared/platform/observability.ts';
import { type RecurringJobName, recurringJobs, type ScheduleTargetName } from '../functions/shared/ports/scheduler.ts';
import { bundling } from './function-bundling.ts';

export interface RegionalStackProps extends StackProps {
  region: HomeRegion;
  jwtIssuer: string;
  jwtAudience: string;
  /** Every region's API endpoint, named in this region's 421 answers. */
  regionEndpoints: Partial<Record<HomeRegion, string>>;
  tenantResidency: Record<string, ResidencyPolicy>;
  /** How long each head digest stays locked (compliance mode). */
  digestRetentionDays: number;
  /** The API requests per second the region must hold at its peak: API throttling and write-path concurrency follow. */
  peakRequestsPerSecond: number;
  /** The account's concurrent executions limit in this region (1,000 unless AWS raised it). */
  accountConcurrencyLimit: number;
}

/**
 * The write path a peak hits (tickets opened and changed, messages, intake webhooks) keeps its own
 * concurrency, so reads, reports or a DSAR burst cannot starve it. Sized by Little's law at a
 * 250 ms mean duration (a cold ticket write in Lambda, with headroom): each of these functions may
 * alone take every peak request.
 */
export const reservedWritePath = ['create-ticket', 'add-message', 'patch-ticket', 'intake'] as const satisfies readonly ApiFunctionName[];
export const reservedConcurrencyFor = (peakRequestsPerSecond: number) => Math.ceil(peakRequestsPerSecond * 0.25);
/** Lambda keeps 100 of an account's concurrent executions unreserved. */
const unreservedMinimum = 100;

/** How often the audit log head is written out: a truncated history is detected from the next digest on. */
export const digestIntervalMinutes = 15;

/** How long an access or export bundle stays downloadable; after that `GET /v1/dsar/{id}/export` is 410. */
export const dsarBundleDays = 30;

type TableName = 'events' | 'views' | 'idempotency' | 'subjects' | 'audit';
type KeyName = 'master' | 'lookup';
type Access = { table: TableName; actions: string[] } | { key: KeyName; actions: string[] };

// Opening sealed personal data: read the subject's wrapped key, unwrap it with the master key.
const openPersonalData: Access[] = [
  { table: 'subjects', actions: ['dynamodb:GetItem'] },
  { key: 'master', actions: ['kms:Decrypt'] },
];
// TransactWriteItems is authorised per item: PutItem for each event and the idempotency claim.
const appendEvents: Access[] = [
  { table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem'] },
  { table: 'idempotency', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
  ...openPersonalData,
];

const receiveMessages: Access[] = [
  ...appendEvents,
  { table: 'views', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
  { table: 'subjects', actions: ['dynamodb:PutItem'] },
  { key: 'master', actions: ['kms:GenerateDataKey'] },
  { key: 'lookup', actions: ['kms:GenerateMac'] },
];

// A list page: the index for the ids, then one BatchGetItem for the views (the indexes do not hold them).
const listViews: Access = { table: 'views', actions: ['dynamodb:Query', 'dynamodb:BatchGetItem'] };

// Every read an auditor makes is appended as an AuditorRead event before it is answered.
const recordAuditorReads: Access = { table: 'events', actions: ['dynamodb:PutItem'] };

/** What each API function may do, action by action: nothing more than its handler calls. */
const apiAccess: Record<ApiFunctionName, Access[]> = {
  health: [],
  openapi: [],
  'create-ticket': [
    ...appendEvents,
    // PutItem for a new subject; UpdateItem to link their phone.
    { table: 'subjects', actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'] },
    { key: 'master', actions: ['kms:GenerateDataKey'] },
    { key: 'lookup', actions: ['kms:GenerateMac'] },
  ],
  'add-message': appendEvents,
  'patch-ticket': appendEvents,
  'rate-ticket': appendEvents,
  metrics: [listViews, recordAuditorReads],
  'get-ticket': [{ table: 'events', actions: ['dynamodb:Query'] }, ...openPersonalData, recordAuditorReads],
  'ticket-events': [{ table: 'events', actions: ['dynamodb:Query'] }, ...openPersonalData, recordAuditorReads],
  'ticket-messages': [{ table: 'events', actions: ['dynamodb:Query'] }, ...openPersonalData, recordAuditorReads],
  'list-tickets': [listViews, ...openPersonalData, { key: 'lookup', actions: ['kms:GenerateMac'] }, recordAuditorReads],
  'audit-ticket': [{ table: 'events', actions: ['dynamodb:Query'] }, ...openPersonalData, recordAuditorReads],
  'audit-events': [
    { table: 'audit', actions: ['dynamodb:Query'] },
    { table: 'events', actions: ['dynamodb:BatchGetItem'] },
    recordAuditorReads,
  ],
  // The request's notes and corrections get a data key of their own; the subject is found by keyed hash.
  'create-dsar': [
    ...appendEvents,
    { table: 'subjects', actions: ['dynamodb:PutItem'] },
    { key: 'master', actions: ['kms:GenerateDataKey'] },
    { key: 'lookup', actions: ['kms:GenerateMac'] },
  ],
  'get-dsar': [{ table: 'events', actions: ['dynamodb:Query'] }, ...openPersonalData],
  'list-dsars': [listViews, ...openPersonalData],
  'dsar-export': [{ table: 'events', actions: ['dynamodb:Query'] }, ...openPersonalData],
  'get-retention-policy': [{ table: 'events', actions: ['dynamodb:Query'] }],
  'put-retention-policy': appendEvents,
  'retention-dry-run': [listViews, { table: 'events', actions: ['dynamodb:Query'] }],
  // Connecting a channel seals its secrets with the tenant's channel key, created on first use.
  'support-setup': [
    { table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem'] },
    recordAuditorReads,
    { table: 'subjects', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
    { key: 'master', actions: ['kms:GenerateDataKey', 'kms:Decrypt'] },
  ],
  requester: [listViews, ...openPersonalData, recordAuditorReads],
  'link-contact': [
    { table: 'subjects', actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
    { key: 'lookup', actions: ['kms:GenerateMac'] },
  ],
  // Webhooks and imports: a requester found or created by contact, the conversation pointer, the ticket written.
  intake: receiveMessages,
  'import-app-reviews': receiveMessages,
};
/** Fulfilment: reads the subject's tickets, appends to them, links a corrected email, destroys keys. */
const fulfilmentAccess: Access[] = [
  { table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem'] },
  listViews,
  { table: 'subjects', actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] },
  { key: 'master', actions: ['kms:Decrypt'] },
  { key: 'lookup', actions: ['kms:GenerateMac'] },
];
/** Retention: finds due tickets in the views, decides on each ticket's stream, destroys the ticket's key. */
const retentionAccess: Access[] = [
  { table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem'] },
  listViews,
  { table: 'subjects', actions: ['dynamodb:GetItem', 'dynamodb:DeleteItem'] },
  { key: 'master', actions: ['kms:Decrypt'] },
];

const shapes: Record<TableName, TableShape> = {
  events: eventsTable,
  views: viewsTable,
  idempotency: idempotencyTable,
  subjects: subjectsTable,
  audit: auditTable,
};

const repoRoot = new URL('..', import.meta.url).pathname;

interface Schedules {
  groupName: string;
  group: CfnScheduleGroup;
  role: Role;
  deadLetters: Queue;
}

interface FunctionOptions {
  swaggerUi?: boolean;
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

/** One region's Meridian: its own tables, functions and API, naming nothing of another region. */
export class RegionalStack extends Stack {
  readonly tables: Record<TableName, Table>;
  readonly keys: Record<KeyName, Key>;
  readonly api: HttpApi;
  readonly bus: EventBus;
  readonly digestBucket: Bucket;
  readonly bundleBucket: Bucket;
  private readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: RegionalStackProps) {
    super(scope, id, { ...props, env: { account: props.env?.account, region: props.region } });
    const reserved = reservedWritePath.length * reservedConcurrencyFor(props.peakRequestsPerSecond) + 1; // + the retention run
    if (reserved > props.accountConcurrencyLimit - unreservedMinimum) {
      throw new Error(
        `meridian:peakRequestsPerSecond ${props.peakRequestsPerSecond} reserves ${reserved} concurrent executions; meridian:accountConcurrencyLimit ${props.accountConcurrencyLimit} leaves ${props.accountConcurrencyLimit - unreservedMinimum} reservable`,
      );
    }
    this.tables = {
      events: this.table('Events', eventsTable),
      views: this.table('Views', viewsTable),
      idempotency: this.table('Idempotency', idempotencyTable),
      subjects: this.table('Subjects', subjectsTable),
      audit: this.table('AuditLog', auditTable),
    };
    this.keys = {
      master: new Key(this, 'SubjectMasterKey', {
        description: `Meridian ${props.region}: wraps each data subject's key; erasure deletes the wrapped key`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
      // KMS rotates symmetric encryption keys only; a rotated lookup key would orphan every stored hash anyway.
      lookup: new Key(this, 'ContactLookupKey', {
        description: `Meridian ${props.region}: keyed hash of contact handles for lookups`,
        keySpec: KeySpec.HMAC_256,
        keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
    };
    const environment = {
      [envNames.eventsTable]: this.tables.events.tableName,
      [envNames.viewsTable]: this.tables.views.tableName,
      [envNames.idempotencyTable]: this.tables.idempotency.tableName,
      [envNames.subjectsTable]: this.tables.subjects.tableName,
      [envNames.auditTable]: this.tables.audit.tableName,
      [envNames.masterKeyId]: this.keys.master.keyArn,
      [envNames.lookupKeyId]: this.keys.lookup.keyArn,
      [envNames.regionEndpoints]: JSON.stringify(props.regionEndpoints),
      [envNames.tenantResidency]: JSON.stringify(props.tenantResidency),
    };

    const apiFunctions = Object.fromEntries(
      apiFunctionNames.map((name) => {
        const reserved = (reservedWritePath as readonly string[]).includes(name)
          ? reservedConcurrencyFor(props.peakRequestsPerSecond)
          : undefined;
        const fn = this.function(`Api-${name}`, `functions/api/${name}/handler.ts`, environment, {
          swaggerUi: name === 'openapi',
          reservedConcurrentExecutions: reserved,
        });
        for (const access of apiAccess[name]) this.allow(fn.role!, access);
        return [name, fn];
      }),
    ) as Record<ApiFunctionName, NodejsFunction>;

    this.api = this.httpApi(props, apiFunctions);
    this.bus = new EventBus(this, 'Bus', { eventBusName: `meridian-${props.region}` });
    this.streamConsumer('Projector', 'functions/projector/handler.ts', environment, (role) => {
      this.allow(role, { table: 'events', actions: ['dynamodb:Query'] });
      // BatchGetItem: a batch's ticket views in one read; GetItem: any other view, or each on its own.
      this.allow(role, { table: 'views', actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'] });
    });
    // The publisher gets no table and no key: it cannot read personal data even if it wanted to.
    this.streamConsumer('Publisher', 'functions/publisher/handler.ts', { [envNames.eventBusName]: this.bus.eventBusName }, (role) =>
      this.bus.grantPutEventsTo(role),
    );
    this.streamConsumer('Sequencer', 'functions/sequencer/handler.ts', environment, (role) => {
      this.allow(role, { table: 'events', actions: ['dynamodb:Query'] });
      // Query: the head is the log's last entry; BatchGetItem: the streams' cursors; PutItem: entries and cursors.
      this.allow(role, { table: 'audit', actions: ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'] });
    });
    this.accessLogs = new Bucket(this, 'DigestAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(props.digestRetentionDays) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket holds the access logs of the digest and bundle buckets; logging it into itself would loop.',
    });
    this.digestBucket = this.headDigests(props, environment);
    const schedules = this.schedules(props);
    const dsar = this.dataSubjectRequests(props, environment, apiFunctions['dsar-export'], schedules);
    const sla = this.slaTimers(props, environment, schedules);
    this.bundleBucket = dsar.bundles;
    this.scheduleTargets(props, schedules, { 'dsar-deadlines': dsar.deadlines, 'sla-checker': sla.checker, retention: dsar.retention });
    this.busRules(props, { 'dsar-fulfilment': dsar.fulfilment, 'dsar-deadlines': dsar.deadlines, 'sla-timers': sla.planner });
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'DigestBucket', { value: this.digestBucket.bucketName });
    this.alarms(props);
  }

  private table(id: string, shape: TableShape): Table {
    const table = new Table(this, id, {
      partitionKey: { name: shape.partitionKey.name, type: shape.partitionKey.type as AttributeType },
      sortKey: shape.sortKey && { name: shape.sortKey.name, type: shape.sortKey.type as AttributeType },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      stream: shape.stream ? StreamViewType.NEW_IMAGE : undefined,
      timeToLiveAttribute: shape.ttlAttribute,
    });
    for (const index of shape.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: (index.sortKeyType ?? 'S') as AttributeType },
        ...projectionOf(index),
      });
    }
    return table;
  }

  private function(id: string, entry: string, environment: Record<string, string>, options: FunctionOptions = {}) {
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    // A role of its own per function, writing only to its own log group (not the managed basic-execution policy).
    const role = new Role(this, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    const fn = new NodejsFunction(this, id, {
      entry: `${repoRoot}${entry}`,
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: options.memorySize ?? 512,
      timeout: options.timeout ?? Duration.seconds(10),
      functionName: options.functionName,
      reservedConcurrentExecutions: options.reservedConcurrentExecutions,
      ...(options.invokedAsynchronously ? { deadLetterQueue: this.deadLetterQueue(`${id}Invocations`), retryAttempts: 2 } : {}),
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
        commandHooks: options.swaggerUi
          ? {
              beforeBundling: () => [],
              beforeInstall: () => [],
              afterBundling: (input, output) => [
                `cp ${input}/node_modules/swagger-ui-dist/swagger-ui-bundle.js ${input}/node_modules/swagger-ui-dist/swagger-ui.css ${output}/`,
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
  private allow(role: NonNullable<NodejsFunction['role']>, access: Access) {
    if ('key' in access) {
      const key = this.keys[access.key];
      // The master key serves subject keys only: the encryption context must say so.
      const conditions =
        access.key === 'master' ? { StringEquals: { 'kms:EncryptionContext:purpose': 'meridian-subject-key' } } : undefined;
      role.addToPrincipalPolicy(new PolicyStatement({ actions: access.actions, resources: [key.keyArn], conditions }));
      return;
    }
    const table = this.tables[access.table];
    const indexArns = shapes[access.table].indexes.map((index) => `${table.tableArn}/index/${index.name}`);
    role.addToPrincipalPolicy(new PolicyStatement({ actions: access.actions, resources: [table.tableArn, ...indexArns] }));
  }

  private httpApi(props: RegionalStackProps, functions: Record<ApiFunctionName, NodejsFunction>): HttpApi {
    const api = new HttpApi(this, 'Api', { description: `Meridian ${props.region}` });
    const authorizer = new HttpJwtAuthorizer('Jwt', props.jwtIssuer, { jwtAudience: [props.jwtAudience] });
    const integrations = new Map<ApiFunctionName, HttpLambdaIntegration>();
    for (const route of apiRoutes) {
      if (!integrations.has(route.fn))
        integrations.set(route.fn, new HttpLambdaIntegration(`${route.fn}-integration`, functions[route.fn]));
      const added = api.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration: integrations.get(route.fn)!,
        authorizer: route.auth ? authorizer : new HttpNoneAuthorizer(),
      });
      if (!route.auth) {
        for (const publicRoute of added) {
          Validations.of(publicRoute).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason:
              'Health, the OpenAPI document and its page hold no data; the intake webhooks are called by providers, which sign each request instead (verified on the raw body before anything is read or written).',
          });
        }
      }
    }
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const stage = api.defaultStage!.node.defaultChild as CfnStage;
    // No request bodies or headers in the access log: they carry personal data.
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
        authorizerError: '$context.authorizer.error',
      }),
    };
    // Past the planned peak, callers get 429 from API Gateway instead of queueing into Lambda and DynamoDB.
    stage.defaultRouteSettings = {
      throttlingBurstLimit: 2 * props.peakRequestsPerSecond,
      throttlingRateLimit: props.peakRequestsPerSecond,
    };
    return api;
  }

  /**
   * The region's head digests, like CloudTrail's: an Object Lock bucket (compliance mode, so not
   * even the account root can shorten a retention) written on a schedule by one function that may
   * only read the log and put objects there.
   */
  private headDigests(props: RegionalStackProps, environment: Record<string, string>): Bucket {
    const accessLogs = this.accessLogs;
    const bucket = new Bucket(this, 'HeadDigests', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(props.digestRetentionDays)),
      serverAccessLogsBucket: accessLogs,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const fn = this.function(
      'DigestWriter',
      'functions/digest/handler.ts',
      { ...environment, [envNames.digestBucket]: bucket.bucketName },
      { invokedAsynchronously: true },
    );
    // Query: the head (the log's last entry); GetItem: that entry, whole.
    this.allow(fn.role!, { table: 'audit', actions: ['dynamodb:GetItem', 'dynamodb:Query'] });
    fn.role!.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`digests/${props.region}/*`] } },
      }),
    );
    fn.role!.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [bucket.arnForObjects(`digests/${props.region}/*`)] }),
    );
    const bucketId = this.getLogicalId(bucket.node.defaultChild as CfnBucket);
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/digests/${props.region}/*]`,
      reason: "Every digest is a new object under this region's prefix; the writer can neither delete nor shorten a lock.",
    });
    const deadLetters = this.deadLetterQueue('DigestWriter');
    new Rule(this, 'DigestSchedule', {
      description: `Meridian ${props.region}: write the audit log head digest`,
      schedule: Schedule.rate(Duration.minutes(digestIntervalMinutes)),
      targets: [new LambdaFunction(fn, { deadLetterQueue: deadLetters, retryAttempts: 2 })],
    });
    return bucket;
  }

  /** The region's schedule group, the role Scheduler invokes with, and the schedules' dead-letter queue. */
  private schedules(props: RegionalStackProps): Schedules {
    const groupName = `meridian-${props.region}`;
    const group = new CfnScheduleGroup(this, 'ScheduleGroup', { name: groupName });
    const deadLetters = this.deadLetterQueue('Schedules');
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
    });
    deadLetters.grantSendMessages(role);
    return { groupName, group, role, deadLetters };
  }

  /** What a function that creates one-time schedules needs: the group, the role to pass, the DLQ. */
  private allowScheduling(fn: NodejsFunction, schedules: Schedules, props: RegionalStackProps) {
    fn.addEnvironment(envNames.scheduleGroup, schedules.groupName);
    fn.addEnvironment(envNames.schedulerRoleArn, schedules.role.roleArn);
    fn.addEnvironment(envNames.scheduleDeadLetterArn, schedules.deadLetters.queueArn);
    fn.role!.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule'],
        resources: [this.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${schedules.groupName}/*` })],
      }),
    );
    schedules.role.grantPassRole(fn.role!);
    Validations.of(fn.role!).acknowledge({
      // The partition is a literal (@aws-cdk/core:enablePartitionLiterals): every region of the table is in `aws`.
      id: `AwsSolutions-IAM5[Resource::arn:aws:scheduler:${props.region}:<AWS::AccountId>:schedule/${schedules.groupName}/*]`,
      reason: "One schedule per request, ticket and check, named at run time, all in this region's Meridian group.",
    });
  }

  /**
   * Data-subject requests and retention: the fulfilment, deadline and retention functions and the
   * bucket of access and export bundles.
   */
  private dataSubjectRequests(
    props: RegionalStackProps,
    environment: Record<string, string>,
    dsarExport: NodejsFunction,
    schedules: Schedules,
  ) {
    const bundleKey = new Key(this, 'DsarBundleKey', {
      description: `Meridian ${props.region}: DSAR bundles at rest (each is also sealed with its subject's key)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const bundles = new Bucket(this, 'DsarBundles', {
      encryption: BucketEncryption.KMS,
      encryptionKey: bundleKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'dsar-bundles/',
      lifecycleRules: [{ expiration: Duration.days(dsarBundleDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const bundleObjects = `Resource::<${this.getLogicalId(bundles.node.defaultChild as CfnBucket)}.Arn>/dsar-bundles/*`;

    const fulfilment = this.function(
      'DsarFulfilment',
      'functions/dsar-fulfilment/handler.ts',
      { ...environment, [envNames.bundleBucket]: bundles.bucketName },
      {
        timeout: Duration.minutes(5),
        memorySize: 1024,
        invokedAsynchronously: true,
      },
    );
    for (const access of fulfilmentAccess) this.allow(fulfilment.role!, access);
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
    const deadlinesArn = this.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: deadlinesName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const deadlines = this.function(
      'DsarDeadlines',
      'functions/dsar-deadlines/handler.ts',
      { ...environment, [envNames.dsarDeadlinesFunctionArn]: deadlinesArn },
      {
        functionName: deadlinesName,
        timeout: Duration.seconds(30),
        invokedAsynchronously: true,
      },
    );
    this.allow(deadlines.role!, { table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem'] });
    this.allowScheduling(deadlines, schedules, props);

    const retention = this.function('Retention', 'functions/retention/handler.ts', environment, {
      timeout: Duration.minutes(15),
      memorySize: 1024,
      // One run at a time: a retried run must not race the one still going.
      reservedConcurrentExecutions: 1,
      invokedAsynchronously: true,
    });
    for (const access of retentionAccess) this.allow(retention.role!, access);
    new CfnOutput(this, 'DsarBundleBucket', { value: bundles.bucketName });
    return { bundles, fulfilment, deadlines, retention };
  }

  /** SLA timers: the planner (on SlaTargetsSet) schedules the checker at each due time. */
  private slaTimers(props: RegionalStackProps, environment: Record<string, string>, schedules: Schedules) {
    const checker = this.function('SlaChecker', 'functions/sla-checker/handler.ts', environment, {
      timeout: Duration.seconds(30),
      invokedAsynchronously: true,
    });
    for (const access of appendEvents.filter((a) => !('table' in a && a.table === 'idempotency'))) this.allow(checker.role!, access);
    const planner = this.function(
      'SlaTimers',
      'functions/sla-timers/handler.ts',
      { ...environment, [envNames.slaCheckerFunctionArn]: checker.functionArn },
      { timeout: Duration.seconds(30), invokedAsynchronously: true },
    );
    this.allowScheduling(planner, schedules, props);
    return { checker, planner };
  }

  /** Scheduler may invoke exactly the schedule targets; the recurring jobs get their rate schedules. */
  private scheduleTargets(
    props: RegionalStackProps,
    schedules: Schedules,
    targets: Record<ScheduleTargetName | RecurringJobName, NodejsFunction>,
  ) {
    for (const fn of Object.values(targets)) {
      schedules.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
    }
    for (const job of recurringJobs) {
      new CfnSchedule(this, `${job.name}-schedule`, {
        groupName: schedules.groupName,
        description: `Meridian ${props.region}: ${job.name}, every ${job.everyHours} hours`,
        scheduleExpression: `rate(${job.everyHours} hours)`,
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: targets[job.name].functionArn,
          roleArn: schedules.role.roleArn,
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 6 * 60 * 60 },
          deadLetterConfig: { arn: schedules.deadLetters.queueArn },
        },
      }).addDependency(schedules.group);
    }
  }

  /** The rules of events/bus-rules.ts on the region's bus, as they are, each with retries and a DLQ. */
  private busRules(props: RegionalStackProps, targets: Record<BusTargetName, NodejsFunction>) {
    const deadLetters = this.deadLetterQueue('BusRules');
    for (const [name, rule] of Object.entries(busRules)) {
      const { 'detail-type': detailType, ...pattern } = rule.pattern;
      new Rule(this, `${name}Rule`, {
        eventBus: this.bus,
        description: `Meridian ${props.region}: ${name}`,
        eventPattern: { ...pattern, detailType: [...detailType] },
        targets: [
          new LambdaFunction(targets[rule.target], {
            deadLetterQueue: deadLetters,
            retryAttempts: busTargetRetries,
            maxEventAge: Duration.hours(24),
          }),
        ],
      });
    }
  }

  /**
   * What pages ops, on one encrypted topic per region: any function error or throttle, any message
   * in a dead-letter queue (failed fulfilment, a lost SLA timer, a stream batch given up on), and a
   * stream consumer falling more than a minute behind (projection lag, iterator age).
   */
  private alarms(props: RegionalStackProps) {
    const topic = new Topic(this, 'Alarms', {
      displayName: `Meridian ${props.region} alarms`,
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    /** Pages once `metric` reaches `threshold` in each of `evaluationPeriods` periods; no data is no trouble. */
    const pageAt = (metric: Metric, id: string, threshold: number, alarmDescription: string, evaluationPeriods = 1) =>
      metric
        .createAlarm(this, id, {
          threshold,
          evaluationPeriods,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
          alarmDescription,
        })
        .addAlarmAction(new SnsAction(topic));
    const functions = this.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction);
    for (const fn of functions) {
      const id = fn.node.id;
      pageAt(fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), `${id}Errors`, 1, `${id}: a function error`);
      pageAt(fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), `${id}Throttles`, 1, `${id}: throttled`);
    }
    for (const consumer of ['Projector', 'Publisher', 'Sequencer']) {
      const fn = functions.find((f) => f.node.id === consumer)!;
      pageAt(
        fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
        `${consumer}IteratorAge`,
        60_000,
        `${consumer}: more than a minute behind the events stream`,
        3,
      );
    }
    for (const queue of this.node.findAll().filter((c): c is Queue => c instanceof Queue)) {
      pageAt(
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        `${queue.node.id}Depth`,
        1,
        `${queue.node.id}: a message could not be delivered`,
      );
    }
    // Meridian's own metrics (EMF): an API answer of 500 is a bug even though the function succeeded.
    const meridian = (metricName: string) =>
      new Metric({
        namespace: metricsNamespace,
        metricName,
        dimensionsMap: { service: 'meridian', region: props.region },
        period: Duration.minutes(5),
        statistic: 'Sum',
      });
    pageAt(meridian('UnhandledErrors'), 'ApiUnhandledErrors', 1, 'An API request was answered 500: a bug');
    pageAt(
      meridian('DependencyUnavailable'),
      'ApiDependencyUnavailable',
      10,
      'DynamoDB stayed throttled or out of reach through every retry: 503 answers',
    );
    pageAt(
      meridian('RetentionTenantFailures'),
      'RetentionTenantFailures',
      1,
      "The retention job failed for a tenant (its log line names it); the other tenants' runs went on",
    );
    new CfnOutput(this, 'AlarmTopic', { value: topic.topicArn });
  }

  private deadLetterQueue(id: string): Queue {
    const queue = new Queue(this, `${id}DeadLetters`, {
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

  /** A function on the events table's stream, with redelivery from the first failed record and a dead-letter queue. */
  private streamConsumer(id: string, entry: string, environment: Record<string, string>, grant: (role: IRole) => void) {
    const fn = this.function(id, entry, environment);
    grant(fn.role!);
    const deadLetters = this.deadLetterQueue(id);
    fn.addEventSource(
      new DynamoEventSource(this.tables.events, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(deadLetters),
      }),
    );
  }
}

function projectionOf({ projection = { type: 'ALL' } }: TableShape['indexes'][number]) {
  if (projection.type === 'INCLUDE') return { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...projection.attributes] };
  return { projectionType: projection.type === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY };
}
