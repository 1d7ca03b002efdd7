/**
 * The SNS service, assembled: its operation table for the gateway, the delivery controller on
 * the control loop (every stored delivery is enqueued when written and again at start, so pending
 * deliveries and retries survive a restart), and the calls other services publish through (Auto
 * Scaling notifications and lifecycle hooks, EventBridge targets).
 */
import type { Clock } from '../../kernel/clock.js';
import type { ControlLoop } from '../../kernel/control-loop.js';
import type { Logger } from '../../kernel/logger.js';
import type { OperationTable } from '../../kernel/operation.js';
import type { Random } from '../../kernel/random.js';
import type { Change, Store } from '../../store/store.js';
import { createContext, requireTopic, type SnsContext } from './context.js';
import { DELIVERY_RECONCILER, reconcileDelivery } from './delivery-controller.js';
import { snsOperationTable } from './operations.js';
import type { Scope, SnsPorts } from './ports.js';
import { publish } from './publish.js';

export { snsMigrations } from './store.js';

const MAX_SERVICE_SUBJECT_LENGTH = 99;

export interface SnsServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
  controlLoop: ControlLoop;
  logger: Logger;
  ports: SnsPorts;
  /**
   * The gateway's URL: SubscribeURL and UnsubscribeURL in notifications point there (and work);
   * without it they point at SNS's regional endpoint, as AWS writes them.
   */
  baseUrl?: () => string;
}

export interface SnsService {
  operations: OperationTable;
  /** Publishes to a topic by ARN; throws the ServiceError Publish would (NotFound, …). Returns the MessageId. */
  publishByArn(scope: Scope, topicArn: string, message: string, subject?: string): string;
  topicExists(scope: Scope, topicArn: string): boolean;
}

export function createSnsService(deps: SnsServiceDeps): SnsService {
  const ctx: SnsContext = createContext({
    store: deps.store,
    clock: deps.clock,
    random: deps.random.fork('sns-ids'),
    logger: deps.logger.child({ service: 'sns' }),
    ports: deps.ports,
    baseUrl: deps.baseUrl,
  });
  registerDeliveries(ctx, deps.controlLoop);
  return {
    operations: snsOperationTable(ctx),
    publishByArn: (_scope, topicArn, message, subject) =>
      publish(ctx, requireTopic(ctx, topicArn), {
        Message: message,
        // A service's subject (Auto Scaling names the group in it) is cut to SNS's 100-character limit.
        ...(subject !== undefined ? { Subject: subject.slice(0, MAX_SERVICE_SUBJECT_LENGTH) } : {}),
      }),
    topicExists: (_scope, topicArn) => ctx.tables.topics.has(topicArn),
  };
}

function registerDeliveries(ctx: SnsContext, controlLoop: ControlLoop): void {
  controlLoop.register({ name: DELIVERY_RECONCILER, reconcile: (key) => reconcileDelivery(ctx, key) });
  ctx.store.onCommit((changes: readonly Change[]) => {
    for (const change of changes) {
      if (change.service === 'sns' && change.table === 'deliveries' && change.kind === 'put') {
        controlLoop.enqueue(DELIVERY_RECONCILER, change.key);
      }
    }
  });
  for (const key of ctx.tables.deliveries.keys()) controlLoop.enqueue(DELIVERY_RECONCILER, key);
}
