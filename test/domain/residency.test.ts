import { describe, expect, it } from 'vitest';
import { homeRegionOf } from '../../domain/residency.ts';

describe('home region of a requester', () => {
  it.each([
    ['DE', 'eu-central-1'],
    ['FR', 'eu-central-1'],
    ['NO', 'eu-central-1'],
    ['IS', 'eu-central-1'],
    ['LI', 'eu-central-1'],
    ['CH', 'eu-central-1'],
    ['GB', 'eu-central-1'],
    ['RE', 'eu-central-1'],
    ['GF', 'eu-central-1'],
    ['US', 'us-east-1'],
    ['CA', 'us-east-1'],
    ['MX', 'us-east-1'],
    ['BR', 'us-east-1'],
    ['JM', 'us-east-1'],
    ['CN', 'ap-southeast-1'],
    ['SG', 'ap-southeast-1'],
    ['AE', 'ap-southeast-1'],
    ['ZA', 'ap-southeast-1'],
    ['AU', 'ap-southeast-1'],
    ['RU', 'ap-southeast-1'],
    ['TR', 'ap-southeast-1'],
  ])('%s lives in %s', (country, region) => expect(homeRegionOf(country)).toBe(region));

  it('reads the code in any case', () => expect(homeRegionOf('de')).toBe('eu-central-1'));

  it('a tenant can keep every requester in one region', () => expect(homeRegionOf('US', { region: 'eu-central-1' })).toBe('eu-central-1'));

  it('a per-country override wins over the tenant region and the table', () => {
    const policy = { region: 'eu-central-1', countries: { SG: 'ap-southeast-1' } } as const;
    expect(homeRegionOf('SG', policy)).toBe('ap-southeast-1');
    expect(homeRegionOf('BR', policy)).toBe('eu-central-1');
  });
});
