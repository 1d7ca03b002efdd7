/**
 * An SQS queue: its name rules (1-80 of `[A-Za-z0-9_-]`, FIFO names end in `.fifo`), its ARN
 * (`arn:aws:sqs:<region>:<account>:<name>`), its URL (`<endpoint>/<account>/<name>`, as SQS lays
 * them out under its own endpoint), and how a queue URL or ARN names one. Queues are kept per
 * account and region; a URL carries no region, so it names a queue in the caller's region.
 */
import { arn, parseArn } from '../../kernel/ids.js';
import { invalidAddress, invalidParameterValue } from './errors.js';

export interface Scope {
  accountId: string;
  region: string;
}

export interface QueueRecord {
  name: string;
  accountId: string;
  region: string;
  arn: string;
  fifo: boolean;
  /** The settable attributes, every one filled in (defaults included), as strings as SQS keeps them. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdMs: number;
  lastModifiedMs: number;
  /** Messages get increasing sequence numbers: they order the queue and are FIFO's SequenceNumber. */
  nextSequence: number;
  lastPurgeMs?: number;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

export function queueKey(scope: Scope, name: string): string {
  return `${scope.accountId}/${scope.region}/${name}`;
}

export function keyOfQueue(queue: QueueRecord): string {
  return queueKey(queue, queue.name);
}

export function queueArn(scope: Scope, name: string): string {
  return arn({ service: 'sqs', region: scope.region, accountId: scope.accountId, resource: name });
}

export function queueUrl(baseUrl: string, queue: { accountId: string; name: string }): string {
  return `${baseUrl.replace(/\/+$/, '')}/${queue.accountId}/${queue.name}`;
}

/** Throws AWS's InvalidParameterValue unless name is a valid standard or FIFO queue name. */
export function checkQueueName(name: string, fifo: boolean): void {
  if (fifo) {
    if (!FIFO_NAME.test(name)) {
      throw invalidParameterValue(
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
      );
    }
    return;
  }
  if (!NAME.test(name)) {
    throw invalidParameterValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
}

/**
 * The queue a QueueUrl names: `<any origin>/<account>/<name>` (the host is not compared, so
 * `localhost` and `127.0.0.1` URLs both work), in the caller's region.
 */
export function queueOfUrl(url: string, scope: Scope): { accountId: string; region: string; name: string } {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    throw invalidAddress(url);
  }
  const match = /^\/(\d{12})\/([\w.-]{1,80})\/?$/.exec(path);
  if (!match) throw invalidAddress(url);
  return { accountId: match[1]!, region: scope.region, name: match[2]! };
}

/** The queue an SQS ARN names, or undefined when text is not an SQS queue ARN. */
export function queueOfArn(text: string): { accountId: string; region: string; name: string } | undefined {
  const parts = parseArn(text);
  if (!parts || parts.service !== 'sqs' || parts.region === '' || !/^\d{12}$/.test(parts.accountId)) return undefined;
  if (!/^[\w.-]{1,80}$/.test(parts.resource)) return undefined;
  return { accountId: parts.accountId, region: parts.region, name: parts.resource };
}
