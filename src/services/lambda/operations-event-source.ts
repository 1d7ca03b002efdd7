/**
 * Lambda wire adapter for event source mappings: Create/Get/List/Update/DeleteEventSourceMapping,
 * for SQS queues only. A mapping is recorded in the store and answered at once (202, `Creating`);
 * the poller on the control loop (event-source-poller.ts) settles its State and delivers batches.
 * Another mapping of the same queue to the same function is ResourceConflictException, as AWS
 * answers it; an unknown UUID is ResourceNotFoundException.
 */
import type { RequestContext } from '../../kernel/operation.js';
import { resolveVersion, scopeOf, type LambdaContext } from './context.js';
import { invalidParameter, resourceConflict, resourceNotFound } from './errors.js';
import {
  checkBatchingWindow,
  checkBatchSize,
  DEFAULT_BATCH_SIZE,
  mappingToWire,
  type EventSourceMappingRecord,
  type MappingState,
} from './event-source-mapping.js';
import { functionArn, resolveReference, type ResolvedReference } from './function-reference.js';
import { page } from './paging.js';
import type { LambdaScope } from './ports.js';
import { eventSourceMappingKey, scopePrefix } from './store.js';

interface CreateInput {
  EventSourceArn?: string;
  FunctionName: string;
  Enabled?: boolean;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
}

interface UpdateInput {
  UUID: string;
  FunctionName?: string;
  Enabled?: boolean;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
}

const SQS_ARN = /^arn:aws[a-zA-Z-]*:sqs:[a-z0-9-]+:\d{12}:[\w.-]{1,80}$/;

export function eventSourceOperations(ctx: LambdaContext) {
  const wire = (mapping: EventSourceMappingRecord, state?: MappingState) =>
    mappingToWire(mapping, functionArn(mapping, mapping.functionName, mapping.qualifier), state);

  const requireMapping = (scope: LambdaScope, uuid: string) => {
    const mapping = ctx.tables.eventSourceMappings.get(eventSourceMappingKey(scope, uuid));
    if (!mapping) throw resourceNotFound();
    return mapping;
  };

  /** The function a mapping invokes; throws ResourceNotFoundException when it (or its alias/version) does not exist. */
  const requireTarget = (scope: LambdaScope, functionName: string): ResolvedReference => {
    const reference = resolveReference(scope, functionName);
    resolveVersion(ctx, reference);
    return reference;
  };

  const checkQueue = (scope: LambdaScope, arn: string | undefined) => {
    const queues = ctx.queues;
    if (!queues) {
      throw invalidParameter('SQS is not available in this drydock, so event source mappings cannot be created.');
    }
    if (arn === undefined || arn === '') throw invalidParameter('EventSourceArn is required.');
    if (!SQS_ARN.test(arn)) {
      throw invalidParameter(`Unsupported event source ${arn}: drydock supports SQS queues as event sources.`);
    }
    if (!queues.exists(scope, arn)) {
      throw invalidParameter(
        `Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue ${arn} does not exist.`,
      );
    }
    return arn;
  };

  const sameTarget = (mapping: EventSourceMappingRecord, target: ResolvedReference) =>
    mapping.accountId === target.scope.accountId &&
    mapping.region === target.scope.region &&
    mapping.functionName === target.name &&
    mapping.qualifier === target.qualifier;

  return {
    CreateEventSourceMapping: (input: CreateInput, request: RequestContext) => {
      const scope = scopeOf(request);
      const eventSourceArn = checkQueue(scope, input.EventSourceArn);
      const batchSize = input.BatchSize ?? DEFAULT_BATCH_SIZE;
      checkBatchSize(batchSize);
      const window = input.MaximumBatchingWindowInSeconds ?? 0;
      checkBatchingWindow(window);
      return ctx.store.transaction(() => {
        const target = requireTarget(scope, input.FunctionName);
        const existing = ctx.tables.eventSourceMappings
          .withPrefix(scopePrefix(scope))
          .find((mapping) => mapping.eventSourceArn === eventSourceArn && sameTarget(mapping, target));
        if (existing) {
          throw resourceConflict(
            `An event source mapping with SQS arn (" ${eventSourceArn} ") and function (" ${target.name} ") already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`,
          );
        }
        const uuid = ctx.random.uuid();
        const mapping: EventSourceMappingRecord = {
          accountId: scope.accountId,
          region: scope.region,
          uuid,
          eventSourceArn,
          functionName: target.name,
          ...(target.qualifier !== undefined ? { qualifier: target.qualifier } : {}),
          batchSize,
          maximumBatchingWindowInSeconds: window,
          enabled: input.Enabled ?? true,
          state: 'Creating',
          stateTransitionReason: 'USER_INITIATED',
          lastModifiedMs: ctx.clock.now(),
        };
        ctx.tables.eventSourceMappings.put(eventSourceMappingKey(scope, uuid), mapping);
        return wire(mapping);
      });
    },

    GetEventSourceMapping: (input: { UUID: string }, request: RequestContext) =>
      wire(requireMapping(scopeOf(request), input.UUID)),

    ListEventSourceMappings: (
      input: { EventSourceArn?: string; FunctionName?: string; Marker?: string; MaxItems?: number },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      const target = input.FunctionName !== undefined ? resolveReference(scope, input.FunctionName) : undefined;
      const mappings = ctx.tables.eventSourceMappings
        .withPrefix(scopePrefix(scope))
        .filter((mapping) => input.EventSourceArn === undefined || mapping.eventSourceArn === input.EventSourceArn)
        .filter(
          (mapping) =>
            target === undefined ||
            (mapping.functionName === target.name &&
              (target.qualifier === undefined || mapping.qualifier === target.qualifier)),
        );
      const result = page(mappings, (mapping) => mapping.uuid, input.MaxItems, input.Marker);
      return {
        EventSourceMappings: result.items.map((mapping) => wire(mapping)),
        ...(result.nextToken !== undefined ? { NextMarker: result.nextToken } : {}),
      };
    },

    UpdateEventSourceMapping: (input: UpdateInput, request: RequestContext) => {
      const scope = scopeOf(request);
      if (input.BatchSize !== undefined) checkBatchSize(input.BatchSize);
      if (input.MaximumBatchingWindowInSeconds !== undefined) checkBatchingWindow(input.MaximumBatchingWindowInSeconds);
      return ctx.store.transaction(() => {
        const mapping = requireMapping(scope, input.UUID);
        const target = input.FunctionName !== undefined ? requireTarget(scope, input.FunctionName) : undefined;
        const enabled = input.Enabled ?? mapping.enabled;
        const state: MappingState = enabled === mapping.enabled ? 'Updating' : enabled ? 'Enabling' : 'Disabling';
        const updated: EventSourceMappingRecord = {
          ...mapping,
          ...(target ? { functionName: target.name, qualifier: target.qualifier } : {}),
          batchSize: input.BatchSize ?? mapping.batchSize,
          maximumBatchingWindowInSeconds:
            input.MaximumBatchingWindowInSeconds ?? mapping.maximumBatchingWindowInSeconds,
          enabled,
          state,
          stateTransitionReason: 'USER_INITIATED',
          lastModifiedMs: ctx.clock.now(),
        };
        if (updated.qualifier === undefined) delete updated.qualifier;
        ctx.tables.eventSourceMappings.put(eventSourceMappingKey(scope, input.UUID), updated);
        return wire(updated);
      });
    },

    DeleteEventSourceMapping: (input: { UUID: string }, request: RequestContext) => {
      const scope = scopeOf(request);
      return ctx.store.transaction(() => {
        const mapping = requireMapping(scope, input.UUID);
        // The poller stops once the record is gone; a batch already running finishes on its own.
        ctx.tables.eventSourceMappings.delete(eventSourceMappingKey(scope, input.UUID));
        return wire(mapping, 'Deleting');
      });
    },
  };
}
