/**
 * Where a data subject's data lives: its home region, from the requester's country, unless the
 * tenant's residency policy says otherwise. Pure: the API refuses writes elsewhere (421) with it.
 */
export const homeRegions = ['eu-central-1', 'us-east-1', 'ap-southeast-1'] as const;
export type HomeRegion = (typeof homeRegions)[number];

/** EU member states, their outermost regions with own ISO codes, Åland, the EEA (IS, LI, NO), CH and GB. */
const europe = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'GF',
  'GP',
  'MQ',
  'RE',
  'YT',
  'MF',
  'AX',
  'IS',
  'LI',
  'NO',
  'CH',
  'GB',
];

/** North, Central and South America and the Caribbean, less the EU's outermost regions above. */
const americas = [
  'US',
  'CA',
  'MX',
  'GL',
  'PM',
  'BM',
  'BZ',
  'CR',
  'SV',
  'GT',
  'HN',
  'NI',
  'PA',
  'AG',
  'AI',
  'AW',
  'BB',
  'BL',
  'BQ',
  'BS',
  'CU',
  'CW',
  'DM',
  'DO',
  'GD',
  'HT',
  'JM',
  'KN',
  'KY',
  'LC',
  'MS',
  'PR',
  'SX',
  'TC',
  'TT',
  'VC',
  'VG',
  'VI',
  'UM',
  'AR',
  'BO',
  'BR',
  'CL',
  'CO',
  'EC',
  'FK',
  'GS',
  'GY',
  'PE',
  'PY',
  'SR',
  'UY',
  'VE',
];

const byCountry: ReadonlyMap<string, HomeRegion> = new Map([
  ...europe.map((country) => [country, 'eu-central-1'] as const),
  ...americas.map((country) => [country, 'us-east-1'] as const),
]);

/** A tenant's override: one region for all its requesters, and/or a region for some countries. */
export interface ResidencyPolicy {
  region?: HomeRegion;
  countries?: Readonly<Record<string, HomeRegion>>;
}

/** The home region of a requester from `country` (ISO 3166-1 alpha-2), under the tenant's policy. */
export function homeRegionOf(country: string, policy: ResidencyPolicy = {}): HomeRegion {
  const code = country.toUpperCase();
  return policy.countries?.[code] ?? policy.region ?? byCountry.get(code) ?? 'ap-southeast-1';
}
