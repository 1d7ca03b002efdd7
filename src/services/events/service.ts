/**
 * The EventBridge service, assembled: its operation table for the gateway, the bus other services
 * publish their AWS events to (matched against the default bus's rules of the event's account and
 * region, like any PutEvents), and the delivery and schedule controllers on the control loop.
 * main.ts builds it and binds its ports (EventTargetsPort to Lambda, SQS and SNS). Deliveries and
 * schedules kept in the store are enqueued at start, so they carry on after a restart.
 */
import type { Clock } from '../../kernel/clock.js';
import type { ControlLoop } from '../../kernel/control-loop.js';
import { uuid } from '../../kernel/ids.js';
import type { Logger } from '../../kernel/logger.js';
import type { OperationTable } from '../../kernel/operation.js';
import type { Random } from '../../kernel/random.js';
import type { Change, Store } from '../../store/store.js';
import { createContext, type EventsContext } from './context.js';
import { createDeliveryReconciler, DELIVERY_RECONCILER } from './delivery-controller.js';
import { DEFAULT_BUS } from './event-bus.js';
import { eventEnvelope, routeEvent } from './event-router.js';
import { fromPlain } from './json-text.js';
import { eventsOperationTable } from './operations.js';
import type { AwsEventInput, EventBusPort, EventsPorts } from './ports.js';
import { createScheduleReconciler, SCHEDULE_RECONCILER } from './schedule-controller.js';

export interface EventsServiceDeps {
  store: Store;
  clock: Clock;
  random: Random;
  controlLoop: ControlLoop;
  logger: Logger;
  ports: EventsPorts;
}

export interface EventsService {
  operations: OperationTable;
  /** The bus other services publish AWS events to (source aws.*): matched against the default bus's rules of that account/region and delivered. */
  eventBus: EventBusPort;
  /** Deliveries not yet finished (waiting, or between retries): for `drydock status` and tests. */
  pendingDeliveries(): number;
}

export function createEventsService(deps: EventsServiceDeps): EventsService {
  const ctx = createContext({
    store: deps.store,
    clock: deps.clock,
    random: deps.random.fork('events-ids'),
    jitter: deps.random.fork('events-retry-jitter'),
    logger: deps.logger.child({ service: 'events' }),
    ports: deps.ports,
  });
  registerControllers(ctx, deps.controlLoop);
  return {
    operations: eventsOperationTable(ctx),
    eventBus: { publish: (event) => publishAwsEvent(ctx, event) },
    pendingDeliveries: () => ctx.tables.deliveries.size(),
  };
}

/** Best-effort, as AWS's service events are: a failure is logged, never thrown at the publisher. */
function publishAwsEvent(ctx: EventsContext, event: AwsEventInput): void {
  try {
    const envelope = eventEnvelope({
      id: uuid(ctx.random),
      detailType: event.detailType,
      source: event.source,
      accountId: event.accountId,
      region: event.region,
      timeMs: event.timeMs,
      resources: event.resources,
      detail: fromPlain(event.detail),
    });
    const scope = { accountId: event.accountId, region: event.region };
    routeEvent(ctx, scope, DEFAULT_BUS, envelope, ctx.clock.now());
  } catch (error) {
    ctx.logger.error(
      { err: error, source: event.source, detailType: event.detailType },
      'could not route an AWS event',
    );
  }
}

function registerControllers(ctx: EventsContext, controlLoop: ControlLoop): void {
  controlLoop.register(createDeliveryReconciler(ctx));
  controlLoop.register(createScheduleReconciler(ctx));

  const enqueueDelivery = (key: string) => {
    const record = ctx.tables.deliveries.get(key);
    if (record) controlLoop.enqueue(DELIVERY_RECONCILER, key, Math.max(0, record.nextAttemptAtMs - ctx.clock.now()));
  };
  ctx.store.onCommit((changes: readonly Change[]) => {
    for (const change of changes) {
      if (change.service !== 'events') continue;
      if (change.table === 'deliveries' && change.kind === 'put') enqueueDelivery(change.key);
      if (change.table === 'rules') {
        const rule = ctx.tables.rules.get(change.key);
        if (rule?.scheduleExpression !== undefined || ctx.tables.schedules.has(change.key)) {
          controlLoop.enqueue(SCHEDULE_RECONCILER, change.key);
        }
      }
    }
  });

  // After a restart: unfinished deliveries and schedules carry on.
  for (const key of ctx.tables.deliveries.keys()) enqueueDelivery(key);
  for (const key of ctx.tables.rules.keys()) {
    if (ctx.tables.rules.get(key)?.scheduleExpression !== undefined) controlLoop.enqueue(SCHEDULE_RECONCILER, key);
  }
}
