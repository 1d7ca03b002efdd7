/**
 * AWS-shaped identifiers, every one drawn from a seeded Random: EC2's long resource ids
 * (`i-0123456789abcdef0`, 17 hex digits after the prefix), ECS's 32-hex task ids, UUIDs for
 * request ids and Auto Scaling lifecycle action tokens, and ARNs
 * (`arn:partition:service:region:account-id:resource`).
 */
import type { Random } from './random.js';

const EC2_PREFIX = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** prefix + '-' + 17 lowercase hex, EC2's long id format (i-, vpc-, subnet-, sg-, lt-, ami-, eni- …). */
export function ec2Id(random: Random, prefix: string): string {
  const bare = prefix.endsWith('-') ? prefix.slice(0, -1) : prefix;
  if (!EC2_PREFIX.test(bare)) throw new RangeError(`not an EC2 id prefix: ${JSON.stringify(prefix)}`);
  return `${bare}-${random.hex(17)}`;
}

/** An EC2 instance id: 'i-' + 17 lowercase hex. */
export function instanceId(random: Random): string {
  return ec2Id(random, 'i');
}

export function uuid(random: Random): string {
  return random.uuid();
}

/** x-amzn-RequestId / RequestId: a UUID, as AWS returns it. */
export function requestId(random: Random): string {
  return random.uuid();
}

/** Auto Scaling LifecycleActionToken: a UUID. */
export function lifecycleActionToken(random: Random): string {
  return random.uuid();
}

/** ECS task id (the last segment of a task ARN): 32 lowercase hex. */
export function taskId(random: Random): string {
  return random.hex(32);
}

/** ECS container instance id in the long ARN format: 32 lowercase hex, like a task id. */
export function containerInstanceId(random: Random): string {
  return random.hex(32);
}

export interface ArnParts {
  /** Default 'aws'. */
  partition?: string;
  service: string;
  /** Empty for global resources. */
  region: string;
  /** Empty for resources that have no owner account in their ARN. */
  accountId: string;
  /** Everything after the fifth colon; may itself hold ':' and '/'. */
  resource: string;
}

export function arn(parts: ArnParts): string {
  return `arn:${parts.partition ?? 'aws'}:${parts.service}:${parts.region}:${parts.accountId}:${parts.resource}`;
}

/** The parts of an ARN (partition always filled in), or undefined when text is not one. */
export function parseArn(text: string): ArnParts | undefined {
  const fields = text.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') return undefined;
  const [, partition, service, region, accountId] = fields as [string, string, string, string, string];
  const resource = fields.slice(5).join(':');
  if (partition === '' || service === '' || resource === '') return undefined;
  return { partition, service, region, accountId, resource };
}
