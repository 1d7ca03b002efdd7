/**
 * LoadBalancer: an application or network load balancer as ELBv2 describes it. Each one gets its
 * own loopback address (127.2.0.1, 127.2.0.2, …; never reused), so every load balancer can listen
 * on port 80 the way each AWS load balancer has its own addresses. State runs `provisioning` →
 * `active` on the clock (the load-balancer controller moves it).
 */
import type { TagRecord } from './tags.js';
import { tagsToWire } from './tags.js';
import type { LoadBalancerType } from './arns.js';
import { validationError } from './errors.js';

/**
 * How long a new load balancer stays `provisioning`. AWS takes minutes; drydock takes a few
 * seconds (UNCONFIRMED choice), long enough that `load_balancer_available` waiters see the change.
 * Listeners bind at once, without waiting for `active` (their sockets are local).
 */
export const PROVISIONING_MS = 5_000;

export interface AvailabilityZoneRecord {
  zoneName: string;
  subnetId: string;
}

export interface LoadBalancerRecord {
  accountId: string;
  region: string;
  loadBalancerArn: string;
  name: string;
  type: LoadBalancerType;
  scheme: 'internet-facing' | 'internal';
  ipAddressType: 'ipv4' | 'dualstack' | 'dualstack-without-public-ipv4';
  dnsName: string;
  canonicalHostedZoneId: string;
  vpcId?: string;
  availabilityZones: AvailabilityZoneRecord[];
  securityGroups: string[];
  state: 'provisioning' | 'active';
  createdAtMs: number;
  activeAtMs: number;
  /** The loopback address its listeners bind (127.2.x.y). */
  address: string;
  attributes: Record<string, string>;
  tags: TagRecord[];
}

/**
 * Route 53 hosted zones of ELB DNS names, per region (ALB, NLB), from AWS's endpoint tables;
 * other regions fall back to us-east-1's (UNCONFIRMED for them).
 */
const HOSTED_ZONES: Record<string, [string, string]> = {
  'us-east-1': ['Z35SXDOTRQ7X7K', 'Z26RNL4JYFTOTI'],
  'us-east-2': ['Z3AADJGX6KTTL2', 'ZLMOA37VPKANP'],
  'us-west-1': ['Z368ELLRRE2KJ0', 'Z24FKFUX50B4VW'],
  'us-west-2': ['Z1H1FL5HABSF5', 'Z18D5FSROUN65G'],
  'eu-west-1': ['Z32O12XQLNTSW2', 'Z2IFOLAFXWLO4F'],
  'eu-central-1': ['Z215JYRZR1TBD5', 'Z3F0SRJ5LGBH90'],
};

export function canonicalHostedZoneId(region: string, type: LoadBalancerType): string {
  const zones = HOSTED_ZONES[region] ?? HOSTED_ZONES['us-east-1']!;
  return type === 'application' ? zones[0] : zones[1];
}

/**
 * AWS's DNS names: ALB `<name>-<10 digits>.<region>.elb.amazonaws.com`, NLB
 * `<name>-<16 hex>.elb.<region>.amazonaws.com`; internal ones start with `internal-`.
 */
export function dnsName(
  name: string,
  type: LoadBalancerType,
  scheme: LoadBalancerRecord['scheme'],
  region: string,
  suffix: string,
): string {
  const prefix = scheme === 'internal' ? 'internal-' : '';
  return type === 'application'
    ? `${prefix}${name}-${suffix}.${region}.elb.amazonaws.com`
    : `${prefix}${name}-${suffix}.elb.${region}.amazonaws.com`;
}

/** The n-th load-balancer address (n ≥ 1): 127.2.0.1 … 127.2.0.254, 127.2.1.1 …, never .0 or .255. */
export function loadBalancerAddress(index: number): string {
  const third = Math.floor((index - 1) / 254);
  const fourth = ((index - 1) % 254) + 1;
  if (third > 255) throw new RangeError('drydock has handed out every load-balancer address in 127.2.0.0/16');
  return `127.2.${third}.${fourth}`;
}

/** AWS's name rules (1–32 alphanumerics or hyphens, no leading/trailing hyphen, not `internal-…`); UNCONFIRMED wording. */
export function checkLoadBalancerName(name: string): void {
  if (name.length < 1 || name.length > 32) {
    throw validationError(`Load balancer name '${name}' cannot be longer than '32' characters`);
  }
  if (!/^[A-Za-z0-9-]+$/.test(name)) {
    throw validationError(
      `Load balancer name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`,
    );
  }
  if (name.startsWith('-') || name.endsWith('-')) {
    throw validationError(`Load balancer name '${name}' cannot begin or end with a hyphen`);
  }
  if (name.startsWith('internal-')) {
    throw validationError(`Load balancer name '${name}' cannot begin with 'internal-'`);
  }
}

export function loadBalancerToWire(record: LoadBalancerRecord) {
  return {
    LoadBalancerArn: record.loadBalancerArn,
    DNSName: record.dnsName,
    CanonicalHostedZoneId: record.canonicalHostedZoneId,
    CreatedTime: new Date(record.createdAtMs),
    LoadBalancerName: record.name,
    Scheme: record.scheme,
    VpcId: record.vpcId,
    State: { Code: record.state },
    Type: record.type,
    AvailabilityZones: record.availabilityZones.map((zone) => ({
      ZoneName: zone.zoneName,
      SubnetId: zone.subnetId,
      LoadBalancerAddresses: [],
    })),
    SecurityGroups: record.type === 'application' ? record.securityGroups : undefined,
    IpAddressType: record.ipAddressType,
  };
}

export function loadBalancerTags(record: LoadBalancerRecord) {
  return tagsToWire(record.tags);
}
