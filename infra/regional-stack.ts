import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, type CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { apiFunctionNames, apiRoutes, type ApiFunctionName } from '../functions/api/routes.ts';
import { eventsTable, idempotencyTable, viewsTable, type TableShape } from '../functions/shared/tables.ts';
import { bundling } from './function-bundling.ts';

export interface RegionalStackProps extends StackProps {
  region: string;
  jwtIssuer: string;
  jwtAudience: string;
}

type Access = { table: 'events' | 'views' | 'idempotency'; actions: string[] };

/** What each API function may do, action by action: nothing more than its handler calls. */
const apiAccess: Record<ApiFunctionName, Access[]> = {
  health: [],
  openapi: [],
  'create-ticket': writerAccess(),
  'add-message': writerAccess(),
  'patch-ticket': writerAccess(),
  'get-ticket': [{ table: 'events', actions: ['dynamodb:Query'] }],
  'ticket-events': [{ table: 'events', actions: ['dynamodb:Query'] }],
  'ticket-messages': [{ table: 'events', actions: ['dynamodb:Query'] }],
  'list-tickets': [{ table: 'views', actions: ['dynamodb:Query'] }],
};
function writerAccess(): Access[] {
  // TransactWriteItems is authorised per item: PutItem for each event and the idempotency claim.
  return [
    { table: 'events', actions: ['dynamodb:Query', 'dynamodb:PutItem'] },
    { table: 'idempotency', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
  ];
}

const repoRoot = new URL('..', import.meta.url).pathname;

/** One region's Meridian: its own tables, functions and API, naming nothing of another region. */
export class RegionalStack extends Stack {
  readonly tables: Record<Access['table'], Table>;
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: RegionalStackProps) {
    super(scope, id, { ...props, env: { account: props.env?.account, region: props.region } });
    this.tables = {
      events: this.table('Events', eventsTable),
      views: this.table('Views', viewsTable),
      idempotency: this.table('Idempotency', idempotencyTable),
    };
    const environment = {
      EVENTS_TABLE: this.tables.events.tableName,
      VIEWS_TABLE: this.tables.views.tableName,
      IDEMPOTENCY_TABLE: this.tables.idempotency.tableName,
      POWERTOOLS_SERVICE_NAME: 'meridian',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    };

    const apiFunctions = Object.fromEntries(
      apiFunctionNames.map((name) => {
        const fn = this.function(`Api-${name}`, `functions/api/${name}/handler.ts`, environment, name === 'openapi');
        for (const access of apiAccess[name]) this.allow(fn.role!, access);
        return [name, fn];
      }),
    ) as Record<ApiFunctionName, NodejsFunction>;

    this.api = this.httpApi(props, apiFunctions);
    this.projector(environment);
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
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
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }
    return table;
  }

  private function(id: string, entry: string, environment: Record<string, string>, withSwaggerUi = false) {
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    // A role of its own per function, writing only to its own log group (not the managed basic-execution policy).
    const role = new Role(this, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    return new NodejsFunction(this, id, {
      entry: `${repoRoot}${entry}`,
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      role,
      logGroup,
      environment,
      bundling: {
        ...bundling,
        commandHooks: withSwaggerUi
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
  }

  /** Grants exactly these actions on exactly this table and its indexes: no wildcards. */
  private allow(role: NonNullable<NodejsFunction['role']>, access: Access) {
    const table = this.tables[access.table];
    const shape = { events: eventsTable, views: viewsTable, idempotency: idempotencyTable }[access.table];
    const indexArns = (shape.indexes as TableShape['indexes']).map((index) => `${table.tableArn}/index/${index.name}`);
    role.addToPrincipalPolicy(new PolicyStatement({ actions: access.actions, resources: [table.tableArn, ...indexArns] }));
  }

  private httpApi(props: RegionalStackProps, functions: Record<ApiFunctionName, NodejsFunction>): HttpApi {
    const api = new HttpApi(this, 'Api', { description: `Meridian ${props.region}` });
    const authorizer = new HttpJwtAuthorizer('Jwt', props.jwtIssuer, { jwtAudience: [props.jwtAudience] });
    const integrations = new Map<ApiFunctionName, HttpLambdaIntegration>();
    for (const route of apiRoutes) {
      if (!integrations.has(route.fn)) integrations.set(route.fn, new HttpLambdaIntegration(`${route.fn}-integration`, functions[route.fn]));
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
            reason: 'Health, the OpenAPI document and its page are public by design; they hold no data.',
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
    stage.defaultRouteSettings = { throttlingBurstLimit: 2000, throttlingRateLimit: 1000 };
    return api;
  }

  private projector(environment: Record<string, string>) {
    const fn = this.function('Projector', 'functions/projector/handler.ts', environment);
    this.allow(fn.role!, { table: 'events', actions: ['dynamodb:Query'] });
    this.allow(fn.role!, { table: 'views', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] });
    const deadLetters = new Queue(this, 'ProjectorDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
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
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the projector.',
    });
    Validations.of(fn.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'dynamodb:ListStreams supports no resource-level permission; every other stream action is scoped to this table.',
    });
  }
}
