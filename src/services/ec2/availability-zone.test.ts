/**
 * Zones per Region: names, zone ids and the fallback for Regions drydock has no list for.
 */
import { describe, expect, it } from 'vitest';
import { toAvailabilityZone, zoneIdPrefix, zonesOf } from './availability-zone.js';

describe('zonesOf', () => {
  it('gives us-east-1 its six zones a–f with use1 zone ids', () => {
    const zones = zonesOf('us-east-1');
    expect(zones.map((zone) => zone.zoneName)).toEqual([
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
      'us-east-1d',
      'us-east-1e',
      'us-east-1f',
    ]);
    expect(zones.map((zone) => zone.zoneId)).toEqual([
      'use1-az1',
      'use1-az2',
      'use1-az3',
      'use1-az4',
      'use1-az5',
      'use1-az6',
    ]);
  });

  it('gives a Region it does not know the zones a, b and c', () => {
    expect(zonesOf('xx-middle-9').map((zone) => zone.zoneName)).toEqual([
      'xx-middle-9a',
      'xx-middle-9b',
      'xx-middle-9c',
    ]);
  });

  it('abbreviates Regions into zone-id prefixes', () => {
    expect(zoneIdPrefix('ap-southeast-2')).toBe('apse2');
    expect(zoneIdPrefix('eu-central-1')).toBe('euc1');
    expect(zoneIdPrefix('us-west-2')).toBe('usw2');
  });

  it('shows a zone as DescribeAvailabilityZones does', () => {
    expect(toAvailabilityZone(zonesOf('eu-west-1')[1]!)).toMatchObject({
      ZoneName: 'eu-west-1b',
      ZoneId: 'euw1-az2',
      RegionName: 'eu-west-1',
      State: 'available',
      ZoneType: 'availability-zone',
    });
  });
});
