import type { Stack, StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { HomeRegion, ResidencyPolicy } from '../../domain/residency.ts';
import type { RateLimits } from '../../functions/shared/platform/config.ts';
import type { KeyName, TableName } from './access.ts';

export interface RegionalStackProps extends StackProps {
  region: HomeRegion;
  jwtIssuer: string;
  jwtAudience: string;
  /** Every region's API endpoint, named in this region's 421 answers. */
  regionEndpoints: Partial<Record<HomeRegion, string>>;
  tenantResidency: Record<string, ResidencyPolicy>;
  /** What each tenant and token may send per minute. */
  rateLimits: RateLimits;
  /** How long each heads digest stays locked (compliance mode). */
  digestRetentionDays: number;
  /** The API requests per second the region must hold at its peak: API throttling and write-path concurrency follow. */
  peakRequestsPerSecond: number;
  /** The account's concurrent executions limit in this region (1,000 unless AWS raised it). */
  accountConcurrencyLimit: number;
  /** AWS's OpenTelemetry layer every function traces with (name:version), or 'off'. */
  openTelemetryLayer: string;
}

/**
 * What every part of a region's stack builds on: the stack itself (each part adds its resources
 * to it directly, so their logical ids are the ones the stack had before it was split: a new id
 * would replace a table), the storage and keys, and the environment every function gets.
 */
export interface Region {
  stack: Stack;
  props: RegionalStackProps;
  tables: Record<TableName, Table>;
  keys: Record<KeyName, Key>;
  environment: Record<string, string>;
}
