import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { busRules } from '../../events/bus-rules.ts';
import { apiFunctionNames, apiRoutes } from '../../functions/api/routes.ts';
import { viewsTable } from '../../functions/shared/dynamodb/tables.ts';
import { buildApp } from '../../infra/app.ts';
import type { RegionalStack } from '../../infra/regional-stack.ts';
import { regions } from '../../infra/regions.ts';
import { apiMemoryFor, detectsLanguage } from '../../infra/stack/api.ts';

const context = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

describe('one RegionalStack per region', () => {
  let app: App;
  let stacks: RegionalStack[];
  const templates = new Map<string, Template>();
  beforeAll(() => {
    ({ app, stacks } = buildApp(new App({ context })));
    for (const stack of stacks) templates.set(stack.region, Template.fromStack(stack));
  }, 120_000);

  it('refuses bad deployment settings at synth, and passes residency overrides and tracing off to every region', () => {
    expect(() => buildApp(new App({ context: { ...context, 'meridian:tenantResidency': { acme: { region: 'mars-1' } } } }))).toThrow(
      /meridian:tenantResidency/,
    );
    expect(() => buildApp(new App({ context: { ...context, 'meridian:apiDomain': 'not a domain' } }))).toThrow(/meridian:apiDomain/);
    expect(() => buildApp(new App({ context: { ...context, 'meridian:openTelemetryLayer': 'latest' } }))).toThrow(
      /meridian:openTelemetryLayer/,
    );
    // 4 write-path functions x 225 + the retention run: more than a default account may reserve.
    expect(() => buildApp(new App({ context: { ...context, 'meridian:peakRequestsPerSecond': 900 } }))).toThrow(/leaves 900 reservable/);
    const { stacks: withPolicy } = buildApp(
      new App({
        context: {
          ...context,
          'meridian:tenantResidency': '{"acme":{"region":"eu-central-1"}}',
          'meridian:regionEndpoints': { 'us-east-1': 'https://us.acme-support.example' },
          'meridian:openTelemetryLayer': 'off',
        },
      }),
    );
    const env = (stack: RegionalStack) =>
      Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, any>).find(
        (r) => r.Properties?.Environment?.Variables?.TENANT_RESIDENCY,
      )!.Properties.Environment.Variables;
    for (const stack of withPolicy) {
      expect(JSON.parse(env(stack).TENANT_RESIDENCY)).toEqual({ acme: { region: 'eu-central-1' } });
      expect(JSON.parse(env(stack).REGION_ENDPOINTS)['us-east-1']).toBe('https://us.acme-support.example');
      expect(env(stack).AWS_LAMBDA_EXEC_WRAPPER).toBeUndefined();
      Template.fromStack(stack).resourcePropertiesCountIs('AWS::Lambda::Function', { Layers: Match.anyValue() }, 0);
    }
  }, 120_000);

  it('has a stack for each region of the regions table', () => {
    expect(stacks.map((stack) => stack.region)).toEqual(regions.map((r) => r.region));
  });

  describe.each(regions.map((r) => r.region))('%s', (region) => {
    const template = () => templates.get(region)!;
    const json = () => template().toJSON() as { Resources: Record<string, { Type: string; Properties: any }> };

    it('keeps events in a table keyed by stream and version, streamed, recoverable, encrypted, protected', () => {
      template().hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'streamId', KeyType: 'HASH' },
          { AttributeName: 'version', KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        BillingMode: 'PAY_PER_REQUEST',
      });
      template().allResourcesProperties('AWS::DynamoDB::Table', {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      });
      template().resourceCountIs('AWS::DynamoDB::Table', 7);
    });

    it('has the queue, request and retention indexes on the views table and a TTL on idempotency records', () => {
      template().hasResourceProperties('AWS::DynamoDB::Table', {
        GlobalSecondaryIndexes: viewsTable.indexes.map((index) =>
          Match.objectLike({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
          }),
        ),
      });
      template().hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
    });

    it('keeps views out of the list indexes: they hold the keys and the filtered attributes, so most view updates write no index', () => {
      const views = Object.values(json().Resources).find(
        (r) =>
          r.Type === 'AWS::DynamoDB::Table' &&
          r.Properties.GlobalSecondaryIndexes?.some((i: { IndexName: string }) => i.IndexName === 'queueByTenant'),
      )!;
      const projections = Object.fromEntries(
        views.Properties.GlobalSecondaryIndexes.map((i: { IndexName: string; Projection: unknown }) => [i.IndexName, i.Projection]),
      );
      const queue = { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status', 'team', 'assignee', 'closedAt', 'erasedAt'] };
      expect(projections).toEqual({
        queueByTenant: queue,
        queueByStatus: queue,
        queueByTeam: queue,
        queueByAssignee: queue,
        queueByRequester: queue,
        dsarByTenant: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['type'] },
        dsarByStatus: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['type'] },
        retentionPoliciesInForce: { ProjectionType: 'ALL' },
      });
    });

    it('holds the planned peak: API throttling at it, and the write path with concurrency of its own', () => {
      const stage = Object.values(json().Resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage')!;
      expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 });
      const reserved = Object.entries(json().Resources)
        .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.ReservedConcurrentExecutions !== undefined)
        .map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), r.Properties.ReservedConcurrentExecutions]);
      expect(Object.fromEntries(reserved)).toEqual({
        Apicreateticket: 125,
        Apiaddmessage: 125,
        Apipatchticket: 125,
        Apiintake: 125,
        Retention: 1,
      });
    });

    it("traces every function to X-Ray through AWS's OpenTelemetry layer and names the namespace of its Powertools metrics", () => {
      const functions = Object.values(json().Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
      for (const fn of functions) {
        expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
        expect(fn.Properties.Layers).toEqual([`arn:aws:lambda:${region}:615299751070:layer:AWSOpenTelemetryDistroJs:7`]);
        expect(fn.Properties.Environment.Variables).toMatchObject({
          AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument',
          OTEL_AWS_APPLICATION_SIGNALS_ENABLED: 'false',
          POWERTOOLS_SERVICE_NAME: 'meridian',
          POWERTOOLS_METRICS_NAMESPACE: 'Meridian',
        });
      }
      // The only statements on "*": X-Ray's two actions, which take no resource, and ListStreams.
      const starred = Object.values(json().Resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy')
        .flatMap((r) => r.Properties.PolicyDocument.Statement)
        .filter((statement: { Resource: unknown }) => statement.Resource === '*')
        .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());
      expect(new Set(starred)).toEqual(new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams']));
    });

    it('sizes API functions for their cold start (a whole vCPU where the language model loads) and background ones at 512 MB or more', () => {
      const functions = Object.entries(json().Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
      // Logical ids drop the construct id's dashes and end in a hash.
      const memoryOf = (id: string) =>
        functions.find(([logicalId]) => logicalId.replace(/[0-9A-F]{8}$/, '') === id.replaceAll('-', ''))![1].Properties.MemorySize;
      for (const name of apiFunctionNames) expect(memoryOf(`Api-${name}`)).toBe(apiMemoryFor(name));
      expect(detectsLanguage.map((name) => memoryOf(`Api-${name}`))).toEqual([1769, 1769, 1769, 1769]);
      expect(memoryOf('Api-get-ticket')).toBe(1024);
      for (const [, fn] of functions) expect(fn.Properties.MemorySize).toBeGreaterThanOrEqual(512);
    });

    it("stays within CloudFormation's 500 resources per stack, one API invoke permission per function", () => {
      const resources = Object.values(json().Resources);
      expect(resources.length).toBeLessThanOrEqual(500);
      const apiPermissions = resources.filter(
        (r) => r.Type === 'AWS::Lambda::Permission' && r.Properties.Principal === 'apigateway.amazonaws.com',
      );
      expect(apiPermissions).toHaveLength(apiFunctionNames.length);
    });

    it('runs every handler as an arm64 Node.js 22+ function in this region', () => {
      const functions = Object.values(json().Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
      // + projector, publisher, sequencer, digest writer, DSAR fulfilment, DSAR deadlines, retention, SLA timers, SLA checker,
      // webhook dispatcher, webhook sender, search indexer
      expect(functions).toHaveLength(apiFunctionNames.length + 12);
      for (const fn of functions) {
        expect(Number(/^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
        expect(fn.Properties.Architectures).toEqual(['arm64']);
        expect(fn.Properties.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'meridian' });
      }
      const tableUsers = functions.filter((fn) => fn.Properties.Environment.Variables.EVENTS_TABLE);
      expect(tableUsers).toHaveLength(apiFunctionNames.length + 11);
    });

    it('routes every API route, behind the JWT authorizer unless public', () => {
      template().hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: context['meridian:jwtIssuer'], Audience: [context['meridian:jwtAudience']] },
      });
      for (const route of apiRoutes) {
        template().hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: `${route.method} ${route.path}`,
          AuthorizationType: route.auth ? 'JWT' : 'NONE',
        });
      }
      template().resourceCountIs('AWS::ApiGatewayV2::Route', apiRoutes.length);
    });

    it('grants only named actions on its own tables and keys: no wildcard, no other region', () => {
      const policies = Object.values(json().Resources).filter((r) => r.Type === 'AWS::IAM::Policy');
      const idsOf = (type: string) =>
        Object.entries(json().Resources)
          .filter(([, r]) => r.Type === type)
          .map(([id]) => id);
      const tableIds = idsOf('AWS::DynamoDB::Table');
      const keyIds = idsOf('AWS::KMS::Key');
      for (const policy of policies) {
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          const actions: string[] = [statement.Action].flat();
          for (const action of actions) expect(action).not.toMatch(/\*/);
          if (actions.some((a) => a.startsWith('kms:'))) {
            const resources = [statement.Resource].flat().map((r) => JSON.stringify(r));
            expect(resources).toHaveLength(1);
            expect(
              keyIds.some((id) => resources[0]!.includes(id)),
              resources[0],
            ).toBe(true);
          }
          if (!actions.some((a) => a.startsWith('dynamodb:'))) continue;
          const resources = [statement.Resource].flat();
          if (actions.every((a) => a === 'dynamodb:ListStreams')) {
            expect(resources).toEqual(['*']);
            continue;
          }
          for (const resource of resources) {
            const text = JSON.stringify(resource);
            expect(
              tableIds.some((id) => text.includes(id)),
              text,
            ).toBe(true);
          }
        }
      }
      // The one place another region is named: the URLs its 421 answers point integrators to.
      const text = JSON.stringify(json(), (key, value) => (key === 'REGION_ENDPOINTS' ? undefined : value));
      for (const other of regions.filter((r) => r.region !== region)) expect(text).not.toContain(other.region);
      expect(text).not.toContain('Fn::ImportValue');
    });

    it('has a rotating master key for subject keys and an HMAC key for lookups, used only by the API functions that must', () => {
      template().hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, KeySpec: Match.absent() });
      template().hasResourceProperties('AWS::KMS::Key', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
      template().resourceCountIs('AWS::KMS::Key', 5); // + the DSAR bundle and attachment buckets' keys and the digest signing key
      const kmsActionsOf = (fn: string) => {
        const [roleId] = Object.entries(json().Resources).find(
          ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith(fn.replace(/[^A-Za-z0-9]/g, '')),
        )!;
        return Object.values(json().Resources)
          .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(roleId))
          .flatMap((r) => r.Properties.PolicyDocument.Statement)
          .flatMap((s: { Action: string | string[] }) => [s.Action].flat())
          .filter((action: string) => action.startsWith('kms:'))
          .sort();
      };
      // + the attachment key's two: an upload URL's file claimed by an opening is stored under it.
      expect(kmsActionsOf('Api-create-ticket')).toEqual([
        'kms:Decrypt',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'kms:GenerateDataKey',
        'kms:GenerateMac',
      ]);
      expect(kmsActionsOf('Api-get-ticket')).toEqual(['kms:Decrypt']);
      expect(kmsActionsOf('Api-list-tickets')).toEqual(['kms:Decrypt', 'kms:GenerateMac']);
      expect(kmsActionsOf('Api-health')).toEqual([]);
      expect(kmsActionsOf('Projector')).toEqual([]);
      template().hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'kms:GenerateDataKey',
              Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'meridian-subject-key' } },
            }),
          ]),
        },
      });
    });

    it("tells its functions every region's endpoint and the tenants' residency", () => {
      const fn = Object.values(json().Resources).find(
        (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.REGION_ENDPOINTS,
      )!;
      expect(JSON.parse(fn.Properties.Environment.Variables.REGION_ENDPOINTS)).toEqual({
        'eu-central-1': 'https://api.eu-central-1.meridian.example.com',
        'us-east-1': 'https://api.us-east-1.meridian.example.com',
        'ap-southeast-1': 'https://api.ap-southeast-1.meridian.example.com',
      });
      expect(JSON.parse(fn.Properties.Environment.Variables.TENANT_RESIDENCY)).toEqual({});
    });

    it('publishes PII-free events to its own bus from a function that holds no table or key', () => {
      template().hasResourceProperties('AWS::Events::EventBus', { Name: `meridian-${region}` });
      const publisherRole = Object.keys(json().Resources).find((id) => id.startsWith('PublisherRole'))!;
      const actions = Object.values(json().Resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(publisherRole))
        .flatMap((r) => r.Properties.PolicyDocument.Statement)
        .flatMap((s: { Action: string | string[] }) => [s.Action].flat());
      expect(actions.filter((a: string) => !a.startsWith('logs:') && !a.startsWith('xray:')).sort()).toEqual([
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
        'events:PutEvents',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ]);
      // The events table's three consumers, the webhook dispatcher and the search indexer on the audit table's, the sender on its queue.
      template().resourceCountIs('AWS::Lambda::EventSourceMapping', 6);
    });

    it('sends the projector its events from the stream, with redelivery and a dead-letter queue', () => {
      template().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        StartingPosition: 'TRIM_HORIZON',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 10,
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
      template().hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    });

    const actionsOf = (rolePrefix: string) => {
      const role = Object.keys(json().Resources).find((id) => id.startsWith(rolePrefix))!;
      return Object.values(json().Resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(role))
        .flatMap((r) => r.Properties.PolicyDocument.Statement)
        .map((s: { Action: string | string[]; Resource: unknown }) => ({
          actions: [s.Action].flat(),
          resource: JSON.stringify(s.Resource),
        }));
    };

    it('lets every function that lists views read them after the index (Query and BatchGetItem), and the projector read a batch of views', () => {
      const viewsTableId = Object.entries(json().Resources).find(
        ([, r]) =>
          r.Type === 'AWS::DynamoDB::Table' &&
          r.Properties.GlobalSecondaryIndexes?.some((i: { IndexName: string }) => i.IndexName === 'queueByTenant'),
      )![0];
      const listers = ['Apilisttickets', 'Apilistdsars', 'Apimetrics', 'Apirequester', 'Apiretentiondryrun', 'DsarFulfilment', 'Retention'];
      for (const lister of listers) {
        const onViews = actionsOf(`${lister}Role`)
          .filter((s) => s.resource.includes(viewsTableId))
          .flatMap((s) => s.actions);
        expect(onViews, lister).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:BatchGetItem']));
      }
      const projector = actionsOf('ProjectorRole')
        .filter((s) => s.resource.includes(viewsTableId))
        .flatMap((s) => s.actions);
      expect(projector.sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem']);
    });

    it('sends webhooks from a queue with a dead-letter queue, woken by the audit table stream for commit items only', () => {
      const resources = Object.entries(json().Resources) as Array<[string, { Type: string; Properties: any }]>;
      const idOf = (type: string, name: string) =>
        resources.find(([id, r]) => r.Type === type && new RegExp(`^${name}[0-9A-F]{8}$`).test(id))![0];
      const queue = idOf('AWS::SQS::Queue', 'WebhookWakeUps');
      template().hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: 540,
        RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
        SqsManagedSseEnabled: true,
      });
      template().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
        FunctionName: { Ref: idOf('AWS::Lambda::Function', 'WebhookSender') },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 50 },
      });
      const auditTable = resources.find(
        ([, r]) => r.Type === 'AWS::DynamoDB::Table' && r.Properties.KeySchema[1]?.AttributeName === 'seq',
      )!;
      expect(auditTable[1].Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
      template().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [auditTable[0], 'StreamArn'] },
        FunctionName: { Ref: idOf('AWS::Lambda::Function', 'WebhookDispatcher') },
        FilterCriteria: {
          Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { pk: { S: [{ prefix: 'log#' }] } } } }) }],
        },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // The sender reads the log and the subscriptions, opens secrets, keeps positions; it writes no log and no view.
      const sender = actionsOf('WebhookSenderRole').flatMap((s) => s.actions);
      expect(sender).toEqual(expect.arrayContaining(['dynamodb:BatchWriteItem', 'kms:Decrypt', 'sqs:SendMessage']));
      for (const action of ['dynamodb:Scan', 'dynamodb:DeleteTable', 'kms:GenerateDataKey', 'events:PutEvents'])
        expect(sender).not.toContain(action);
      const webhooksTable = idOf('AWS::DynamoDB::Table', 'Webhooks');
      expect(actionsOf('WebhookDispatcherRole').some((s) => s.resource.includes(webhooksTable))).toBe(false);
      // The API function and the senders know the queue; every function knows the table.
      template().hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ WEBHOOK_QUEUE_URL: { Ref: queue }, WEBHOOKS_TABLE: { Ref: webhooksTable } }) },
      });
    });

    it('keeps the tenant logs in an audit table ordered by seq, with no index, fed by the sequencer', () => {
      template().hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'seq', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'seq', AttributeType: 'N' },
        ],
        GlobalSecondaryIndexes: Match.absent(),
      });
      const auditTableId = Object.entries(json().Resources).find(
        ([, r]) => r.Type === 'AWS::DynamoDB::Table' && r.Properties.KeySchema[1]?.AttributeName === 'seq',
      )![0];
      const sequencer = actionsOf('SequencerRole').filter((s) => s.resource.includes(auditTableId));
      expect(sequencer.flatMap((s) => s.actions).sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ]);
      // Nothing may delete from the log, and only a stream's cursor may be updated in place.
      const grants = Object.values(json().Resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy')
        .flatMap((r) => r.Properties.PolicyDocument.Statement)
        .filter((st: { Resource: unknown }) => JSON.stringify(st.Resource).includes(auditTableId));
      const actions = grants.flatMap((st: { Action: string | string[] }) => [st.Action].flat());
      expect(actions).not.toContain('dynamodb:DeleteItem');
      const updates = grants.filter((st: { Action: string | string[] }) => [st.Action].flat().includes('dynamodb:UpdateItem'));
      expect(updates).toEqual([
        expect.objectContaining({
          Action: 'dynamodb:UpdateItem',
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['stream#*'] } },
        }),
      ]);
    });

    it('signs each heads digest with an asymmetric P-256 key only the digest writer may sign with', () => {
      const keys = Object.entries(json().Resources).filter(
        ([, r]) => r.Type === 'AWS::KMS::Key' && r.Properties.KeySpec === 'ECC_NIST_P256',
      );
      expect(keys).toHaveLength(1);
      const [keyId, key] = keys[0]!;
      expect(key.Properties.KeyUsage).toBe('SIGN_VERIFY');
      expect((key as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
      const signers = Object.values(json().Resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy')
        .flatMap((r) => r.Properties.PolicyDocument.Statement)
        .filter((st: { Resource: unknown; Action: string | string[] }) => [st.Action].flat().includes('kms:Sign'));
      expect(signers).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } })]);
      template().hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ DIGEST_SIGNING_KEY_ID: { 'Fn::GetAtt': [keyId, 'Arn'] } }) },
      });
      template().hasOutput('DigestSigningKeyArn', { Value: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    });

    it('writes the heads digest on a schedule into an Object Lock bucket it cannot delete from', () => {
      template().hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2557 } } },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
      });
      template().hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(5 minutes)',
        Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: { MaximumRetryAttempts: 2 } })],
      });
      const digestWriter = actionsOf('DigestWriterRole')
        .flatMap((s) => s.actions)
        .filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'));
      // sqs:SendMessage: to its own dead-letter queue.
      expect(digestWriter.sort()).toEqual([
        'dynamodb:Query',
        'kms:Sign',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        'sqs:SendMessage',
      ]);
      // The proof and receipt routes read the digests: list and get, nothing else.
      for (const role of ['ApiauditproofRole', 'ApidsarreceiptRole'])
        expect(
          actionsOf(role)
            .flatMap((s) => s.actions)
            .filter((a) => a.startsWith('s3:'))
            .sort(),
          role,
        ).toEqual(['s3:GetObject', 's3:ListBucket']);
    });

    it('lets S3 deliver server access logs by bucket policy, not the legacy LogDeliveryWrite ACL', () => {
      const buckets = Object.entries(json().Resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket');
      for (const [id, bucket] of buckets) expect(bucket.Properties.AccessControl, id).toBeUndefined();
      const logTargets = new Set(buckets.map(([, b]) => b.Properties.LoggingConfiguration?.DestinationBucketName?.Ref).filter(Boolean));
      expect(logTargets.size).toBe(1);
      const [logBucket] = [...logTargets];
      template().hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logBucket },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Allow', Action: 's3:PutObject', Principal: { Service: 'logging.s3.amazonaws.com' } }),
          ]),
        },
      });
    });

    it('lets every read route record auditor reads (events PutItem), and no API function touch the log but audit-events', () => {
      for (const fn of ['Api-get-ticket', 'Api-list-tickets', 'Api-audit-ticket', 'Api-audit-events']) {
        expect(actionsOf(`${fn.replace(/[^A-Za-z0-9]/g, '')}Role`).flatMap((s) => s.actions)).toContain('dynamodb:PutItem');
      }
      expect(actionsOf('ApiauditeventsRole').flatMap((s) => s.actions)).toContain('dynamodb:Query');
    });

    it('fulfils data-subject requests from the rules of events/bus-rules.ts on its own bus, with retries and a dead-letter queue', () => {
      for (const [name, rule] of Object.entries(busRules)) {
        const [id] = Object.entries(json().Resources).find(([id, r]) => r.Type === 'AWS::Events::Rule' && id.startsWith(`${name}Rule`))!;
        const properties = json().Resources[id]!.Properties;
        expect(properties.EventPattern).toEqual(rule.pattern);
        expect(JSON.stringify(properties.EventBusName)).toContain('Bus');
        expect(properties.Targets).toEqual([
          expect.objectContaining({
            DeadLetterConfig: { Arn: expect.anything() },
            RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
          }),
        ]);
        const targetFunction = { 'dsar-fulfilment': 'DsarFulfilment', 'dsar-deadlines': 'DsarDeadlines', 'sla-timers': 'SlaTimers' }[
          rule.target
        ];
        expect(JSON.stringify(properties.Targets[0].Arn)).toContain(targetFunction);
      }
    });

    it('plans deadline checks and runs retention in its own schedule group, invoking only its own functions', () => {
      const group = `meridian-${region}`;
      template().hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: group });
      template().hasResourceProperties('AWS::Scheduler::Schedule', {
        GroupName: group,
        ScheduleExpression: 'rate(24 hours)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: Match.objectLike({
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21_600 },
        }),
      });
      template().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `${group}-dsar-deadlines`,
        Environment: {
          Variables: Match.objectLike({
            SCHEDULE_GROUP: group,
            SCHEDULER_ROLE_ARN: Match.anyValue(),
            SCHEDULE_DLQ_ARN: Match.anyValue(),
            DSAR_DEADLINES_FUNCTION_ARN: Match.anyValue(),
          }),
        },
      });
      const deadlines = actionsOf('DsarDeadlinesRole');
      expect(deadlines.find((s) => s.actions.includes('scheduler:CreateSchedule'))!.resource).toContain(`schedule/${group}/*`);
      expect(deadlines.flatMap((s) => s.actions)).toContain('iam:PassRole');
      template().hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } },
            }),
          ],
        },
      });
      const scheduler = actionsOf('SchedulerRole');
      const invokes = scheduler.filter((s) => s.actions.includes('lambda:InvokeFunction')).map((s) => s.resource);
      expect(invokes).toHaveLength(3);
      for (const target of ['DsarDeadlines', 'SlaChecker', 'Retention'])
        expect(
          invokes.some((r) => r.includes(target)),
          target,
        ).toBe(true);
      expect(
        scheduler
          .flatMap((s) => s.actions)
          .filter((a) => !a.startsWith('lambda:'))
          .sort(),
      ).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
      const planner = actionsOf('SlaTimersRole');
      expect(planner.find((s) => s.actions.includes('scheduler:CreateSchedule'))!.resource).toContain(`schedule/${group}/*`);
      template().hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ SLA_CHECKER_FUNCTION_ARN: Match.anyValue(), SCHEDULE_GROUP: group }) },
      });
      const checker = actionsOf('SlaCheckerRole')
        .flatMap((s) => s.actions)
        .filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'));
      // A views page (Query, then BatchGetItem): the automation sweep lists a tenant's tickets that are not closed,
      // a simulation job those created in its window, and keeps its result (GetItem, PutItem on simulation# items).
      expect(checker.sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Query',
        'kms:Decrypt',
        'sqs:SendMessage',
      ]);
      // The support-setup function schedules that sweep on the checker.
      expect(actionsOf('ApisupportsetupRole').find((s) => s.actions.includes('scheduler:CreateSchedule'))!.resource).toContain(
        `schedule/${group}/*`,
      );
      template().hasResourceProperties('AWS::Lambda::Function', { Timeout: 900, ReservedConcurrentExecutions: 1 });
      const retention = actionsOf('RetentionRole')
        .flatMap((s) => s.actions)
        .filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'));
      expect(retention.sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Query',
        'kms:Decrypt',
        // Erasing a ticket's files: every version of each.
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:ListBucketVersions',
        'sqs:SendMessage',
      ]);
    });

    it('keeps DSAR bundles in a private, KMS-encrypted bucket for 30 days: fulfilment may put, the export route may get', () => {
      template().hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }), BucketKeyEnabled: true }),
          ],
        },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      const s3Actions = (role: string) =>
        actionsOf(role)
          .flatMap((s) => s.actions)
          .filter((a) => a.startsWith('s3:'));
      const onBundles = (role: string) =>
        actionsOf(role)
          .filter((s) => s.resource.includes('DsarBundles'))
          .flatMap((s) => s.actions);
      expect(onBundles('DsarFulfilmentRole')).toEqual(['s3:PutObject']);
      expect(s3Actions('ApidsarexportRole')).toEqual(['s3:GetObject']);
      template().hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ BUNDLE_BUCKET: Match.anyValue(), DSAR_DEADLINES_FUNCTION_ARN: Match.absent() }) },
      });
    });

    it('keeps attachment files in a private bucket under a KMS key of its own; each function may do what its part needs', () => {
      template().hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }), BucketKeyEnabled: true }),
          ],
        },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'files/', TagFilters: [{ Key: 'kept', Value: 'false' }], ExpirationInDays: 2 }),
            Match.objectLike({ Prefix: 'uploads/', ExpirationInDays: 1 }),
          ]),
        },
        PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
      });
      const onFiles = (role: string) =>
        actionsOf(role)
          .filter((s) => s.resource.includes('Attachments'))
          .map((s) => `${s.actions.join(',')} ${s.resource.match(/(files|uploads)\/\*/)?.[0] ?? 'bucket'}`)
          .sort();
      expect(onFiles('ApiattachmentsRole')).toEqual(['s3:PutObject uploads/*', 's3:PutObject,s3:PutObjectTagging,s3:GetObject files/*']);
      expect(onFiles('ApiaddmessageRole')).toEqual([
        's3:DeleteObject,s3:DeleteObjectVersion files/*',
        's3:GetObject uploads/*',
        's3:ListBucketVersions bucket',
        's3:PutObject,s3:PutObjectTagging files/*',
      ]);
      expect(onFiles('ApicreateticketRole')).toEqual(onFiles('ApiaddmessageRole'));
      expect(onFiles('DsarFulfilmentRole')).toEqual([
        's3:DeleteObject,s3:DeleteObjectVersion files/*',
        's3:GetObject files/*',
        's3:ListBucketVersions bucket',
      ]);
      for (const fn of ['Api-attachments', 'Api-add-message', 'Api-create-ticket', 'Api-intake', 'DsarFulfilment', 'Retention']) {
        const resource = Object.entries(json().Resources).find(
          ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(fn.replace(/-/g, '')),
        )!;
        expect(resource[1].Properties.Environment.Variables.ATTACHMENT_BUCKET, fn).toBeDefined();
      }
      expect(JSON.stringify(json().Resources.ApigetticketRole ?? {})).not.toContain('Attachments');
    });

    it('ends every asynchronous path in a dead-letter queue: stream batches, rule and schedule deliveries, failed invocations', () => {
      const resources = Object.entries(json().Resources) as Array<[string, { Type: string; Properties: any }]>;
      const ofType = (type: string) => resources.filter(([, r]) => r.Type === type).map(([id, r]) => ({ id, ...r.Properties }));
      const queues = Object.fromEntries(ofType('AWS::SQS::Queue').map((queue) => [queue.id, queue]));
      for (const mapping of ofType('AWS::Lambda::EventSourceMapping')) {
        // A stream's mapping names its destination; a queue's redrive policy is on the queue.
        const queue = JSON.stringify(mapping.EventSourceArn).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1];
        if (queue && queues[queue]) expect(queues[queue].RedrivePolicy?.deadLetterTargetArn).toBeDefined();
        else expect(mapping.DestinationConfig?.OnFailure?.Destination).toBeDefined();
      }
      const ruleTargets = ofType('AWS::Events::Rule').flatMap((rule) => rule.Targets);
      const scheduleTargets = ofType('AWS::Scheduler::Schedule').map((schedule) => schedule.Target);
      for (const target of [...ruleTargets, ...scheduleTargets]) expect(target.DeadLetterConfig?.Arn).toBeDefined();
      // EventBridge and Scheduler invoke Lambda asynchronously: the function's own failures need its DLQ.
      const invoked = new Set(
        [...ruleTargets, ...scheduleTargets].map((target) => JSON.stringify(target.Arn).match(/"Fn::GetAtt":\["([^"]+)"/)?.[1]),
      );
      const oneTimeTargets = ofType('AWS::Lambda::Function').filter((fn) => /^(SlaChecker|DsarDeadlines)[0-9A-F]{8}$/.test(fn.id));
      expect(oneTimeTargets).toHaveLength(2);
      const asynchronous = ofType('AWS::Lambda::Function').filter(
        (fn) => invoked.has(fn.id) || oneTimeTargets.some((target) => target.id === fn.id),
      );
      expect(asynchronous.map((fn) => fn.id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
        'DigestWriter',
        'DsarDeadlines',
        'DsarFulfilment',
        'Retention',
        'SlaChecker',
        'SlaTimers',
      ]);
      for (const fn of asynchronous) expect(fn.DeadLetterConfig?.TargetArn, fn.id).toBeDefined();
      for (const config of ofType('AWS::Lambda::EventInvokeConfig')) expect(config.MaximumRetryAttempts).toBe(2);
    });

    it('pages ops on one encrypted topic: every function error and throttle, every dead letter, stream lag', () => {
      const resources = Object.values(json().Resources);
      const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function').length;
      const queues = resources.filter((r) => r.Type === 'AWS::SQS::Queue').length;
      const alarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
      // One per function (errors + throttles), + iterator age of the five stream consumers, + Meridian's three metrics.
      expect(alarms).toHaveLength(functions + queues + 5 + 3);
      const perFunction = alarms.filter((a) => a.Properties.Metrics?.[0]?.Expression === 'errors + throttles');
      expect(perFunction).toHaveLength(functions);
      for (const alarm of perFunction) {
        expect(
          alarm.Properties.Metrics.slice(1).map((m: { MetricStat: { Metric: { MetricName: string } } }) => m.MetricStat.Metric.MetricName),
        ).toEqual(['Errors', 'Throttles']);
      }
      expect(
        alarms
          .filter((a) => a.Properties.Namespace === 'Meridian')
          .map((a) => a.Properties.MetricName)
          .sort(),
      ).toEqual(['DependencyUnavailable', 'RetentionTenantFailures', 'UnhandledErrors']);
      for (const alarm of alarms) expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain('Alarms');
      expect(alarms.filter((a) => a.Properties.MetricName === 'IteratorAge').map((a) => a.Properties.Threshold)).toEqual([
        60_000, 60_000, 60_000, 60_000, 60_000,
      ]);
      expect(alarms.filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(queues);
      template().hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    });

    it('passes cdk-nag AwsSolutions, every acknowledgement with its reason', () => {
      const stack = stacks.find((s) => s.region === region)!;
      const report = new AwsSolutionsChecks(app).validateScope(stack);
      expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`)).toEqual([]);
      expect(report.success).toBe(true);
    });
  });
});
