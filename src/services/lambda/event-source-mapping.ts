/**
 * An event source mapping: an SQS queue that triggers a function. Lambda's poller receives up to
 * BatchSize messages, invokes the function with them and deletes them when it succeeds. Its State
 * moves `Creating` → `Enabled` (or `Disabled`), `Enabling`/`Disabling`/`Updating` → the settled
 * state, as the poller picks the change up. BatchSize is 1–10 here: AWS allows up to 10,000 for a
 * standard queue with a batching window, but drydock receives one ReceiveMessage's worth (10) per
 * batch, so it refuses more rather than silently sending smaller batches.
 * MaximumBatchingWindowInSeconds (0–300) is stored and reported; drydock invokes as soon as
 * messages are available.
 */
import { invalidParameter } from './errors.js';
import type { LambdaScope } from './ports.js';

export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';

export interface EventSourceMappingRecord {
  accountId: string;
  region: string;
  uuid: string;
  eventSourceArn: string;
  functionName: string;
  /** The alias or version the mapping invokes; undefined for `$LATEST` (unqualified). */
  qualifier?: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  /** What the user asked for; `state` follows once the poller has seen it. */
  enabled: boolean;
  state: MappingState;
  stateTransitionReason: string;
  lastModifiedMs: number;
}

export const DEFAULT_BATCH_SIZE = 10;
export const MAX_BATCH_SIZE = 10;
export const MAX_BATCHING_WINDOW_SECONDS = 300;

export function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw invalidParameter(
      `BatchSize ${batchSize} is not supported: drydock accepts 1 to ${MAX_BATCH_SIZE} for an SQS event source (AWS allows more only with a batching window).`,
    );
  }
}

export function checkBatchingWindow(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_BATCHING_WINDOW_SECONDS) {
    throw invalidParameter(
      `MaximumBatchingWindowInSeconds must be between 0 and ${MAX_BATCHING_WINDOW_SECONDS}, got ${seconds}.`,
    );
  }
}

/** The state a mapping settles in once the poller has picked up a change. */
export function settledState(mapping: EventSourceMappingRecord): MappingState {
  return mapping.enabled ? 'Enabled' : 'Disabled';
}

export function isSettled(mapping: EventSourceMappingRecord): boolean {
  return mapping.state === 'Enabled' || mapping.state === 'Disabled';
}

export function eventSourceMappingArn(scope: LambdaScope, uuid: string): string {
  return `arn:aws:lambda:${scope.region}:${scope.accountId}:event-source-mapping:${uuid}`;
}

/** EventSourceMappingConfiguration as the API returns it. */
export function mappingToWire(mapping: EventSourceMappingRecord, functionArn: string, state = mapping.state) {
  return {
    UUID: mapping.uuid,
    EventSourceMappingArn: eventSourceMappingArn(mapping, mapping.uuid),
    EventSourceArn: mapping.eventSourceArn,
    FunctionArn: functionArn,
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.maximumBatchingWindowInSeconds,
    FunctionResponseTypes: [],
    LastModified: mapping.lastModifiedMs,
    State: state,
    StateTransitionReason: mapping.stateTransitionReason,
  };
}

/** The SQS event a batch is delivered as (AWS's `Records` shape). */
export function sqsEvent(
  eventSourceArn: string,
  region: string,
  messages: ReadonlyArray<{
    messageId: string;
    receiptHandle: string;
    body: string;
    md5OfBody: string;
    attributes: Record<string, string>;
    messageAttributes: Record<string, unknown>;
  }>,
): string {
  return JSON.stringify({
    Records: messages.map((message) => ({
      messageId: message.messageId,
      receiptHandle: message.receiptHandle,
      body: message.body,
      attributes: message.attributes,
      messageAttributes: message.messageAttributes,
      md5OfBody: message.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: eventSourceArn,
      awsRegion: region,
    })),
  });
}
