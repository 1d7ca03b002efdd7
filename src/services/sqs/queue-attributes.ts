/**
 * Queue attributes as CreateQueue, SetQueueAttributes and GetQueueAttributes carry them: every
 * value a string, defaults and ranges from the SQS API reference (VisibilityTimeout 0-43200,
 * default 30; DelaySeconds 0-900; MaximumMessageSize 1024-1048576; MessageRetentionPeriod
 * 60-1209600, default 4 days; ReceiveMessageWaitTimeSeconds 0-20), FIFO-only attributes refused
 * on standard queues, and the computed ones (ApproximateNumberOfMessages…, QueueArn, timestamps).
 */
import { invalidAttributeName, invalidAttributeValue } from './errors.js';
import type { QueueRecord } from './queue.js';

type Rule =
  | { kind: 'integer'; min: number; max: number; default?: string }
  | { kind: 'boolean'; default?: string }
  | { kind: 'enum'; values: string[]; default?: string }
  | { kind: 'json' }
  | { kind: 'text' };

interface AttributeRule {
  rule: Rule;
  fifoOnly?: boolean;
  /** Only CreateQueue may set it. */
  createOnly?: boolean;
}

const RULES: Record<string, AttributeRule> = {
  DelaySeconds: { rule: { kind: 'integer', min: 0, max: 900, default: '0' } },
  MaximumMessageSize: { rule: { kind: 'integer', min: 1024, max: 1_048_576, default: '1048576' } },
  MessageRetentionPeriod: { rule: { kind: 'integer', min: 60, max: 1_209_600, default: '345600' } },
  ReceiveMessageWaitTimeSeconds: { rule: { kind: 'integer', min: 0, max: 20, default: '0' } },
  VisibilityTimeout: { rule: { kind: 'integer', min: 0, max: 43_200, default: '30' } },
  Policy: { rule: { kind: 'json' } },
  RedrivePolicy: { rule: { kind: 'json' } },
  RedriveAllowPolicy: { rule: { kind: 'json' } },
  KmsMasterKeyId: { rule: { kind: 'text' } },
  KmsDataKeyReusePeriodSeconds: { rule: { kind: 'integer', min: 60, max: 86_400 } },
  SqsManagedSseEnabled: { rule: { kind: 'boolean', default: 'true' } },
  FifoQueue: { rule: { kind: 'boolean' }, fifoOnly: true, createOnly: true },
  ContentBasedDeduplication: { rule: { kind: 'boolean', default: 'false' }, fifoOnly: true },
  DeduplicationScope: { rule: { kind: 'enum', values: ['messageGroup', 'queue'], default: 'queue' }, fifoOnly: true },
  FifoThroughputLimit: {
    rule: { kind: 'enum', values: ['perQueue', 'perMessageGroupId'], default: 'perQueue' },
    fifoOnly: true,
  },
};

/** Computed by SQS, readable only; in the order GetQueueAttributes `All` lists them first. */
const COMPUTED = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
];

export interface MessageCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** The attributes a new queue starts with: defaults, then what CreateQueue gave (checked). */
export function initialAttributes(given: Record<string, string>, fifo: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, { rule, fifoOnly }] of Object.entries(RULES)) {
    if (fifoOnly && !fifo) continue;
    if ('default' in rule && rule.default !== undefined) out[name] = rule.default;
  }
  if (fifo) out.FifoQueue = 'true';
  return { ...out, ...normalizeAttributes(given, fifo, 'create') };
}

/**
 * Checks each attribute's name and value and returns them in SQS's spelling (booleans lower-cased).
 * An empty string clears an optional JSON/text attribute (RedrivePolicy, Policy, KmsMasterKeyId).
 */
export function normalizeAttributes(
  given: Record<string, string>,
  fifo: boolean,
  when: 'create' | 'set',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    const entry = Object.hasOwn(RULES, name) ? RULES[name] : undefined;
    if (!entry || (entry.fifoOnly && !fifo && !(name === 'FifoQueue' && when === 'create'))) {
      throw invalidAttributeName(name);
    }
    if (entry.createOnly && when === 'set') {
      throw invalidAttributeValue(name, 'Modifying queue type is not supported.');
    }
    out[name] = normalizeValue(name, entry.rule, value);
  }
  return out;
}

function normalizeValue(name: string, rule: Rule, value: string): string {
  switch (rule.kind) {
    case 'integer': {
      const number = /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
      if (!Number.isSafeInteger(number) || number < rule.min || number > rule.max) {
        throw invalidAttributeValue(name, `Must be an integer from ${rule.min} to ${rule.max}.`);
      }
      return String(number);
    }
    case 'boolean': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalidAttributeValue(name, 'Must be true or false.');
      return lower;
    }
    case 'enum':
      if (!rule.values.includes(value)) throw invalidAttributeValue(name, `Must be one of ${rule.values.join(', ')}.`);
      return value;
    case 'json':
      if (value === '') return value;
      try {
        const parsed: unknown = JSON.parse(value);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      } catch {
        throw invalidAttributeValue(name, 'Must be a JSON object.');
      }
      return value;
    case 'text':
      return value;
  }
}

/** Merges set attributes into a queue's: an empty optional attribute is removed. */
export function mergeAttributes(
  current: Record<string, string>,
  changes: Record<string, string>,
): Record<string, string> {
  const out = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    const rule = RULES[name]?.rule;
    if (value === '' && (rule?.kind === 'json' || rule?.kind === 'text')) delete out[name];
    else out[name] = value;
  }
  return out;
}

/** Throws InvalidAttributeName unless each name is one GetQueueAttributes knows (or `All`). */
export function checkAttributeNames(names: readonly string[]): void {
  for (const name of names) {
    if (name !== 'All' && !Object.hasOwn(RULES, name) && !COMPUTED.includes(name)) throw invalidAttributeName(name);
  }
}

/** GetQueueAttributes: the named attributes the queue has (`All`: every one). */
export function readAttributes(
  queue: QueueRecord,
  names: readonly string[],
  counts: () => MessageCounts,
): Record<string, string> {
  const all = names.includes('All');
  const wanted = (name: string) => all || names.includes(name);
  const out: Record<string, string> = {};
  let known: MessageCounts | undefined;
  const count = () => (known ??= counts());
  for (const name of COMPUTED) {
    if (!wanted(name)) continue;
    if (name === 'QueueArn') out[name] = queue.arn;
    else if (name === 'ApproximateNumberOfMessages') out[name] = String(count().visible);
    else if (name === 'ApproximateNumberOfMessagesNotVisible') out[name] = String(count().inFlight);
    else if (name === 'ApproximateNumberOfMessagesDelayed') out[name] = String(count().delayed);
    else if (name === 'CreatedTimestamp') out[name] = String(Math.floor(queue.createdMs / 1000));
    else if (name === 'LastModifiedTimestamp') out[name] = String(Math.floor(queue.lastModifiedMs / 1000));
  }
  for (const [name, value] of Object.entries(queue.attributes)) if (wanted(name)) out[name] = value;
  return out;
}

export function integerAttribute(queue: QueueRecord, name: string): number {
  return Number(queue.attributes[name] ?? 0);
}
