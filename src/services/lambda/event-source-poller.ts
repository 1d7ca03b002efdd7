/**
 * The poller behind SQS event source mappings, a level-triggered reconciler per mapping: it
 * settles a changed mapping's State (`Creating` → `Enabled`, …), and while the mapping is enabled
 * it receives up to BatchSize messages, invokes the function synchronously with them through the
 * same path Invoke uses (so reserved concurrency and timeouts apply), and deletes them when the
 * function succeeds. On a function error or throttle the messages stay in flight until their
 * visibility timeout returns them (and the queue's redrive policy applies), as on AWS. An empty
 * queue is polled again after POLL_INTERVAL_MS of clock time; a finished batch polls again at once.
 */
import type { ControlLoop, Reconciler, ReconcileResult } from '../../kernel/control-loop.js';
import { findFunction, resolveVersion, type LambdaContext } from './context.js';
import { isSettled, settledState, sqsEvent, type EventSourceMappingRecord } from './event-source-mapping.js';
import { functionArn } from './function-reference.js';
import { runInvocation } from './invocation.js';
import type { LambdaScope, QueueMessage, QueuePort } from './ports.js';

export const EVENT_SOURCE_POLLER = 'lambda-event-source-poller';
export const POLL_INTERVAL_MS = 1_000;

export function createEventSourcePoller(ctx: LambdaContext, controlLoop: ControlLoop): Reconciler {
  /** Mappings whose batch is running now. */
  const running = new Set<string>();
  const log = ctx.logger.child({ component: 'lambda-event-source' });

  const again = (key: string, afterMs: number) => {
    try {
      controlLoop.enqueue(EVENT_SOURCE_POLLER, key, afterMs);
    } catch (error) {
      log.debug({ err: error, key }, 'could not schedule the next poll');
    }
  };

  const finish = (
    key: string,
    mapping: EventSourceMappingRecord,
    queues: QueuePort,
    messages: QueueMessage[],
    outcome: 'success' | 'function-error' | Error,
  ) => {
    running.delete(key);
    const scope: LambdaScope = { accountId: mapping.accountId, region: mapping.region };
    if (outcome === 'success') {
      for (const message of messages) {
        try {
          queues.delete(scope, mapping.eventSourceArn, message.receiptHandle);
        } catch (error) {
          log.warn({ err: error, uuid: mapping.uuid, messageId: message.messageId }, 'could not delete a message');
        }
      }
      again(key, 0);
      return;
    }
    if (outcome === 'function-error') {
      log.info({ uuid: mapping.uuid, function: mapping.functionName }, 'function failed; messages return to the queue');
    } else {
      log.warn({ err: outcome, uuid: mapping.uuid }, 'batch could not be delivered; messages return to the queue');
    }
    again(key, POLL_INTERVAL_MS);
  };

  return {
    name: EVENT_SOURCE_POLLER,
    reconcile(key: string): ReconcileResult {
      const mapping = ctx.tables.eventSourceMappings.get(key);
      if (!mapping || running.has(key)) return;
      if (!isSettled(mapping)) {
        // The put wakes this reconciler again with the settled state.
        ctx.tables.eventSourceMappings.put(key, { ...mapping, state: settledState(mapping) });
        return;
      }
      if (mapping.state !== 'Enabled') return;
      const queues = ctx.queues;
      if (!queues) return;
      const scope: LambdaScope = { accountId: mapping.accountId, region: mapping.region };
      // A deleted function leaves the mapping polling nothing, rather than hiding messages.
      if (!findFunction(ctx, scope, mapping.functionName)) return { requeueAfterMs: POLL_INTERVAL_MS };
      let target;
      try {
        target = resolveVersion(
          ctx,
          { scope, name: mapping.functionName, ...(mapping.qualifier ? { qualifier: mapping.qualifier } : {}) },
          true,
        );
      } catch {
        return { requeueAfterMs: POLL_INTERVAL_MS };
      }
      let messages: QueueMessage[];
      try {
        messages = queues.receive(scope, mapping.eventSourceArn, mapping.batchSize);
      } catch (error) {
        log.warn({ err: error, uuid: mapping.uuid, queue: mapping.eventSourceArn }, 'could not receive from the queue');
        return { requeueAfterMs: POLL_INTERVAL_MS };
      }
      if (messages.length === 0) return { requeueAfterMs: POLL_INTERVAL_MS };

      running.add(key);
      // Not awaited: stopping the control loop must not wait on a 15-minute function.
      runInvocation(ctx, {
        scope,
        target,
        invokedArn: functionArn(scope, mapping.functionName, mapping.qualifier),
        payload: sqsEvent(mapping.eventSourceArn, mapping.region, messages),
        requestId: ctx.random.uuid(),
      }).then(
        (result) => finish(key, mapping, queues, messages, result.functionError ? 'function-error' : 'success'),
        (error: unknown) =>
          finish(key, mapping, queues, messages, error instanceof Error ? error : new Error(String(error))),
      );
    },
  };
}
