import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { envNames } from '../functions/shared/platform/config.ts';
import type { KeyName, TableName } from './stack/access.ts';
import { alarms } from './stack/alarms.ts';
import { apiFunctions, httpApi, reservedConcurrencyFor, reservedWritePath } from './stack/api.ts';
import { attachmentBucket } from './stack/attachments.ts';
import { accessLogsBucket, headDigests } from './stack/audit.ts';
import { busRulesOn, eventBus } from './stack/bus.ts';
import { dataSubjectRequests } from './stack/dsar.ts';
import { keys } from './stack/keys.ts';
import type { Region, RegionalStackProps } from './stack/region.ts';
import { schedules, scheduleTargets } from './stack/schedules.ts';
import { slaTimers } from './stack/sla.ts';
import { storage } from './stack/storage.ts';
import { streamConsumers } from './stack/stream-consumers.ts';
import { traceWithOpenTelemetry } from './stack/tracing.ts';
import { webhooks } from './stack/webhooks.ts';

/** Lambda keeps 100 of an account's concurrent executions unreserved. */
const unreservedMinimum = 100;

/**
 * One region's Meridian: its own tables, functions and API, naming nothing of another region.
 * Each part is in infra/stack/; the per-function grants are in infra/stack/access.ts.
 */
export class RegionalStack extends Stack {
  readonly tables: Record<TableName, Table>;
  readonly keys: Record<KeyName, Key>;
  readonly api: HttpApi;
  readonly bus: EventBus;
  readonly digestBucket: Bucket;
  readonly bundleBucket: Bucket;
  readonly attachmentBucket: Bucket;

  constructor(scope: Construct, id: string, props: RegionalStackProps) {
    super(scope, id, { ...props, env: { account: props.env?.account, region: props.region } });
    const reserved = reservedWritePath.length * reservedConcurrencyFor(props.peakRequestsPerSecond) + 1; // + the retention run
    if (reserved > props.accountConcurrencyLimit - unreservedMinimum) {
      throw new Error(
        `meridian:peakRequestsPerSecond ${props.peakRequestsPerSecond} reserves ${reserved} concurrent executions; meridian:accountConcurrencyLimit ${props.accountConcurrencyLimit} leaves ${props.accountConcurrencyLimit - unreservedMinimum} reservable`,
      );
    }
    this.tables = storage(this);
    this.keys = keys(this, props.region);
    const region: Region = {
      stack: this,
      props,
      tables: this.tables,
      keys: this.keys,
      environment: {
        [envNames.eventsTable]: this.tables.events.tableName,
        [envNames.viewsTable]: this.tables.views.tableName,
        [envNames.idempotencyTable]: this.tables.idempotency.tableName,
        [envNames.subjectsTable]: this.tables.subjects.tableName,
        [envNames.auditTable]: this.tables.audit.tableName,
        [envNames.webhooksTable]: this.tables.webhooks.tableName,
        [envNames.searchTable]: this.tables.search.tableName,
        [envNames.masterKeyId]: this.keys.master.keyArn,
        [envNames.lookupKeyId]: this.keys.lookup.keyArn,
        [envNames.regionEndpoints]: JSON.stringify(props.regionEndpoints),
        [envNames.tenantResidency]: JSON.stringify(props.tenantResidency),
        [envNames.rateLimits]: JSON.stringify(props.rateLimits),
      },
    };

    const api = apiFunctions(region);
    this.api = httpApi(region, api);
    this.bus = eventBus(this, props.region);
    streamConsumers(region, this.bus);
    webhooks(region, api.webhooks);
    const accessLogs = accessLogsBucket(region);
    this.digestBucket = headDigests(region, accessLogs, [api['audit-proof'], api['dsar-receipt']]);
    const schedule = schedules(region);
    const dsar = dataSubjectRequests(region, accessLogs, api['dsar-export'], schedule);
    const sla = slaTimers(region, schedule, [api['support-setup']]);
    this.bundleBucket = dsar.bundles;
    this.attachmentBucket = attachmentBucket(region, accessLogs, {
      uploads: api.attachments,
      claims: [api['add-message'], api['create-ticket']],
      receives: api.intake,
      exportsAndErases: dsar.fulfilment,
      erases: dsar.retention,
    });
    scheduleTargets(region, schedule, { 'dsar-deadlines': dsar.deadlines, 'sla-checker': sla.checker, retention: dsar.retention });
    busRulesOn(this, this.bus, props.region, {
      'dsar-fulfilment': dsar.fulfilment,
      'dsar-deadlines': dsar.deadlines,
      'sla-timers': sla.planner,
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'DigestBucket', { value: this.digestBucket.bucketName });
    alarms(this, props.region);
    traceWithOpenTelemetry(this, props.openTelemetryLayer);
  }
}
