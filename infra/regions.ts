import type { HomeRegion } from '../domain/residency.ts';

/** Every region Meridian runs in: one RegionalStack each, nothing shared between them. */
export const regions = [
  { region: 'eu-central-1', label: 'EU (Frankfurt)' },
  { region: 'us-east-1', label: 'US East (N. Virginia)' },
  { region: 'ap-southeast-1', label: 'Asia Pacific (Singapore)' },
] as const satisfies ReadonlyArray<{ region: HomeRegion; label: string }>;

export type RegionName = (typeof regions)[number]['region'];
