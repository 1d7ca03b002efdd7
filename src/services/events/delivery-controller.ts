/**
 * The delivery controller: sends each recorded delivery to its target through EventTargetsPort
 * on the clock, and carries out delivery.ts's decisions — retry later with backoff, or give up and
 * send the event to the target's dead-letter queue (one try, as AWS does; a failed DLQ send is
 * only logged). A delivery is removed from the store once it is finished, so an event accepted
 * before a restart is still delivered after it (at least once).
 */
import type { ReconcileResult, Reconciler } from '../../kernel/control-loop.js';
import type { EventsContext } from './context.js';
import {
  afterFailure,
  deadLetterAttributes,
  planDelivery,
  type DeliveryError,
  type DeliveryRecord,
} from './delivery.js';
import type { EventsScope } from './ports.js';

export const DELIVERY_RECONCILER = 'events-delivery';

export function createDeliveryReconciler(ctx: EventsContext): Reconciler {
  return { name: DELIVERY_RECONCILER, reconcile: (key) => reconcileDelivery(ctx, key) };
}

export async function reconcileDelivery(ctx: EventsContext, key: string): Promise<ReconcileResult> {
  const record = ctx.tables.deliveries.get(key);
  if (!record) return;
  const nowMs = ctx.clock.now();
  const step = planDelivery(record, nowMs);
  if (step.kind === 'wait') return { requeueAfterMs: step.untilMs - nowMs };
  if (step.kind === 'give-up') {
    await giveUp(ctx, record, step.error, record.attempts);
    return;
  }
  const error = await send(ctx, record, record.targetArn, record.input);
  const afterMs = ctx.clock.now();
  log(ctx, record, 'target', record.attempts + 1, afterMs, error);
  if (!error) {
    ctx.tables.deliveries.delete(key);
    return;
  }
  const outcome = afterFailure(record, error, afterMs, ctx.jitter.float());
  if (outcome.kind === 'retry') {
    ctx.logger.warn(
      { ruleArn: record.ruleArn, targetArn: record.targetArn, attempt: record.attempts + 1, error },
      'event delivery failed; retrying',
    );
    ctx.tables.deliveries.put(key, outcome.record);
    return { requeueAfterMs: outcome.record.nextAttemptAtMs - afterMs };
  }
  await giveUp(ctx, record, outcome.error, record.attempts + 1);
}

function scopeOfRecord(record: DeliveryRecord): EventsScope {
  return { accountId: record.accountId, region: record.region };
}

async function send(
  ctx: EventsContext,
  record: DeliveryRecord,
  arn: string,
  input: string,
  attributes?: Record<string, string>,
): Promise<DeliveryError | undefined> {
  const scope = scopeOfRecord(record);
  try {
    const targets = ctx.ports.targets;
    if (targets.exists && !targets.exists(scope, arn)) {
      return { code: 'ResourceNotFoundException', message: `Target ${arn} does not exist.` };
    }
    // A FIFO queue target gets its MessageGroupId, deduplicated by the delivery's id as AWS does
    // by event id; the dead-letter copy goes out like any other message.
    const fifo =
      record.messageGroupId !== undefined && arn === record.targetArn
        ? { messageGroupId: record.messageGroupId, messageDeduplicationId: record.id }
        : undefined;
    const result = await (fifo
      ? targets.deliver(scope, arn, input, attributes, fifo)
      : attributes
        ? targets.deliver(scope, arn, input, attributes)
        : targets.deliver(scope, arn, input));
    if (result === false) return { code: 'DeliveryFailed', message: `The target ${arn} did not accept the event.` };
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}

function describeError(error: unknown): DeliveryError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' && code !== '' ? code : error.name || 'Error', message: error.message };
  }
  return { code: 'Error', message: String(error) };
}

async function giveUp(
  ctx: EventsContext,
  record: DeliveryRecord,
  error: DeliveryError,
  attempts: number,
): Promise<void> {
  const fields = { ruleArn: record.ruleArn, targetArn: record.targetArn, attempts, error };
  if (record.deadLetterArn) {
    const dlqError = await send(
      ctx,
      record,
      record.deadLetterArn,
      record.input,
      deadLetterAttributes(record, error, attempts),
    );
    log(ctx, record, 'dead-letter', 1, ctx.clock.now(), dlqError, record.deadLetterArn);
    if (dlqError)
      ctx.logger.error(
        { ...fields, deadLetterArn: record.deadLetterArn, dlqError },
        'event dropped: the dead-letter queue refused it',
      );
    else ctx.logger.warn({ ...fields, deadLetterArn: record.deadLetterArn }, 'event sent to the dead-letter queue');
  } else {
    ctx.logger.warn(fields, 'event dropped after failed deliveries (the target has no dead-letter queue)');
  }
  ctx.tables.deliveries.delete(record.id);
}

function log(
  ctx: EventsContext,
  record: DeliveryRecord,
  kind: 'target' | 'dead-letter',
  attempt: number,
  atMs: number,
  error: DeliveryError | undefined,
  targetArn = record.targetArn,
): void {
  try {
    ctx.ports.deliveryLog?.({
      ruleArn: record.ruleArn,
      targetArn,
      input: record.input,
      ok: error === undefined,
      ...(error ? { error: `${error.code}: ${error.message}` } : {}),
      atMs,
      kind,
      attempt,
    });
  } catch (logError) {
    // The recorder is a bystander: its failure must not turn a delivery into a retry.
    ctx.logger.error({ err: logError }, 'the delivery log recorder failed');
  }
}
