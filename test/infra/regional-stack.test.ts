import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { regions } from '../../infra/regions.ts';
import type { RegionalStack } from '../../infra/regional-stack.ts';
import { apiFunctionNames, apiRoutes } from '../../functions/api/routes.ts';
import { queueIndexes } from '../../functions/shared/tables.ts';

const context = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

describe('one RegionalStack per region', () => {
  let app: App;
  let stacks: RegionalStack[];
  const templates = new Map<string, Template>();
  beforeAll(() => {
    ({ app, stacks } = buildApp(new App({ context })));
    for (const stack of stacks) templates.set(stack.region, Template.fromStack(stack));
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
      template().resourceCountIs('AWS::DynamoDB::Table', 3);
    });

    it('has the queue indexes on the views table and a TTL on idempotency records', () => {
      template().hasResourceProperties('AWS::DynamoDB::Table', {
        GlobalSecondaryIndexes: Object.values(queueIndexes).map((index) =>
          Match.objectLike({ IndexName: index.name, KeySchema: [{ AttributeName: index.partitionKey, KeyType: 'HASH' }, { AttributeName: index.sortKey, KeyType: 'RANGE' }] }),
        ),
      });
      template().hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
    });

    it('runs every handler as an arm64 Node.js 22+ function in this region', () => {
      const functions = Object.values(json().Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
      expect(functions).toHaveLength(apiFunctionNames.length + 1);
      for (const fn of functions) {
        expect(Number(/^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
        expect(fn.Properties.Architectures).toEqual(['arm64']);
        expect(fn.Properties.Environment.Variables).toMatchObject({ EVENTS_TABLE: expect.anything(), VIEWS_TABLE: expect.anything() });
      }
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

    it('grants only named actions on its own tables: no wildcard, no other region', () => {
      const policies = Object.values(json().Resources).filter((r) => r.Type === 'AWS::IAM::Policy');
      const tableIds = Object.entries(json().Resources).filter(([, r]) => r.Type === 'AWS::DynamoDB::Table').map(([id]) => id);
      for (const policy of policies) {
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          const actions: string[] = [statement.Action].flat();
          for (const action of actions) expect(action).not.toMatch(/\*/);
          if (!actions.some((a) => a.startsWith('dynamodb:'))) continue;
          const resources = [statement.Resource].flat();
          if (actions.every((a) => a === 'dynamodb:ListStreams')) {
            expect(resources).toEqual(['*']);
            continue;
          }
          for (const resource of resources) {
            const text = JSON.stringify(resource);
            expect(tableIds.some((id) => text.includes(id)), text).toBe(true);
          }
        }
      }
      const text = JSON.stringify(json());
      for (const other of regions.filter((r) => r.region !== region)) expect(text).not.toContain(other.region);
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

    it('passes cdk-nag AwsSolutions, every acknowledgement with its reason', () => {
      const stack = stacks.find((s) => s.region === region)!;
      const report = new AwsSolutionsChecks(app).validateScope(stack);
      expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`)).toEqual([]);
      expect(report.success).toBe(true);
    });
  });
});
