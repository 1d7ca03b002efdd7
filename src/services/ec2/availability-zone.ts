/**
 * Availability Zones per Region, as a new account sees them in DescribeAvailabilityZones: zone
 * names (`us-east-1a`…) and zone ids (`use1-az1`…). Real name→id mappings are shuffled per
 * account; drydock uses one fixed mapping so runs are reproducible. Regions not listed get the
 * zones a, b and c, which every commercial Region has had since 2020.
 */
import type { AvailabilityZone } from '@aws-sdk/client-ec2';

export interface ZoneInfo {
  zoneName: string;
  zoneId: string;
  region: string;
}

/**
 * Zone letters a new account is offered in each Region (EC2 User Guide, "Regions and Zones";
 * some Regions hide older letters from new accounts, e.g. us-west-1 and ap-northeast-1).
 */
const ZONE_LETTERS: Readonly<Record<string, string>> = {
  'us-east-1': 'abcdef',
  'us-east-2': 'abc',
  'us-west-1': 'ac',
  'us-west-2': 'abcd',
  'ca-central-1': 'abd',
  'sa-east-1': 'abc',
  'eu-west-1': 'abc',
  'eu-west-2': 'abc',
  'eu-west-3': 'abc',
  'eu-central-1': 'abc',
  'eu-north-1': 'abc',
  'eu-south-1': 'abc',
  'ap-south-1': 'abc',
  'ap-southeast-1': 'abc',
  'ap-southeast-2': 'abc',
  'ap-northeast-1': 'acd',
  'ap-northeast-2': 'abcd',
  'ap-northeast-3': 'abc',
  'ap-east-1': 'abc',
  'me-south-1': 'abc',
  'af-south-1': 'abc',
};

const FALLBACK_LETTERS = 'abc';

/** Zone-id direction abbreviations (`us-east-1` → `use1`, `ap-southeast-2` → `apse2`). */
const DIRECTION: Readonly<Record<string, string>> = {
  east: 'e',
  west: 'w',
  north: 'n',
  south: 's',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/** The zone-id prefix of a Region: `use1`, `euc1`, `apne1`. */
export function zoneIdPrefix(region: string): string {
  const [area = region, direction = '', number = ''] = region.split('-');
  return `${area}${DIRECTION[direction] ?? direction.slice(0, 2)}${number}`;
}

/** The Region's zones in letter order; each zone id numbers the zone by its position (az1, az2, …). */
export function zonesOf(region: string): ZoneInfo[] {
  const letters = ZONE_LETTERS[region] ?? FALLBACK_LETTERS;
  const prefix = zoneIdPrefix(region);
  return [...letters].map((letter, index) => ({
    zoneName: `${region}${letter}`,
    zoneId: `${prefix}-az${index + 1}`,
    region,
  }));
}

export function toAvailabilityZone(zone: ZoneInfo): AvailabilityZone {
  return {
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    RegionName: zone.region,
    ZoneName: zone.zoneName,
    ZoneId: zone.zoneId,
    GroupName: zone.region,
    NetworkBorderGroup: zone.region,
    ZoneType: 'availability-zone',
  };
}
